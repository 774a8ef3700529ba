import Synchronization
import TacitWire

/// One open, authenticated connection: sends requests and pairs each with its answer.
///
/// Every request gets a fresh non-zero id and exactly one answer with that id; the
/// answer is an error, a response, or ``ClientError/connectionLost`` when the socket
/// closes first, or ``ClientError/timedOut``.
final class Session: Sendable {
    /// The server's verified identity key.
    let serverKey: [UInt8]
    let username: String
    let deviceID: DeviceID

    private let outbound: AsyncStream<WireClientFrame>.Continuation
    private let requestTimeout: Duration
    private let state = Mutex(State())

    private struct State {
        // Handshake frames use ids 1 and 2.
        var nextRequestID: UInt64 = 3
        var pending: [UInt64: CheckedContinuation<Result<WireServerFrame.OneOf_Body, ClientError>, Never>] = [:]
        var closedReason: ClientError?
        var closedLocally = false
    }

    init(serverKey: [UInt8], username: String, deviceID: DeviceID,
         outbound: AsyncStream<WireClientFrame>.Continuation, requestTimeout: Duration) {
        self.serverKey = serverKey
        self.username = username
        self.deviceID = deviceID
        self.outbound = outbound
        self.requestTimeout = requestTimeout
    }

    var isOpen: Bool { state.withLock { $0.closedReason == nil } }

    /// Whether ``close()`` ended this session (rather than the server or the network).
    var wasClosedLocally: Bool { state.withLock { $0.closedLocally } }

    /// Sends `body` and waits for its answer. A server Error becomes ``ClientError/server(_:)``.
    func request(_ body: WireClientFrame.OneOf_Body, timeout: Duration? = nil) async throws(ClientError) -> WireServerFrame.OneOf_Body {
        let id = state.withLock { state in
            defer { state.nextRequestID += 1 }
            return state.nextRequestID
        }
        var frame = WireClientFrame()
        frame.requestID = id
        frame.body = body
        let timeout = timeout ?? requestTimeout
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self?.finish(id, with: .failure(.timedOut))
        }
        defer { timer.cancel() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let closed: ClientError? = state.withLock { state in
                    if let reason = state.closedReason { return reason }
                    // Cancelled before the handler below could see this request.
                    if Task.isCancelled { return .cancelled }
                    state.pending[id] = continuation
                    return nil
                }
                if let closed {
                    continuation.resume(returning: .failure(closed))
                } else if case .terminated = outbound.yield(frame) {
                    finish(id, with: .failure(.connectionLost))
                }
            }
        } onCancel: {
            finish(id, with: .failure(.cancelled))
        }
        switch result {
        case .success(.error(let error)): throw .server(ServerError(error))
        case .success(let body): return body
        case .failure(let error): throw error
        }
    }

    /// Hands an answer to the request waiting for it. Returns false for an id nobody waits on.
    @discardableResult
    func deliver(_ frame: WireServerFrame) -> Bool {
        guard let body = frame.body else {
            return finish(frame.requestID, with: .failure(.protocolViolation("an answer without a body")))
        }
        return finish(frame.requestID, with: .success(body))
    }

    /// Fails every outstanding request and refuses new ones.
    func fail(_ reason: ClientError) {
        let waiting = state.withLock { state in
            if state.closedReason == nil { state.closedReason = reason }
            defer { state.pending.removeAll() }
            return Array(state.pending.values)
        }
        for continuation in waiting { continuation.resume(returning: .failure(reason)) }
    }

    /// Closes the connection from this side.
    func close() {
        state.withLock { $0.closedLocally = true }
        fail(.connectionLost)
        outbound.finish()
    }

    @discardableResult
    private func finish(_ id: UInt64, with result: Result<WireServerFrame.OneOf_Body, ClientError>) -> Bool {
        guard let continuation = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return false }
        continuation.resume(returning: result)
        return true
    }
}
