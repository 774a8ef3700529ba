import Foundation
import Logging
import TacitWire

extension TacitClient {
    /// Connects to the server and keeps the connection up until ``close()``.
    ///
    /// Returns once the device is authenticated. When the connection drops, the client
    /// reconnects with exponential backoff and jitter; queued sends and acknowledgements
    /// continue on the new connection. It stops for good, and this method (or any waiting
    /// call) throws, on errors that waiting cannot fix: a changed server key, a revoked
    /// device, a refused authentication.
    public func connect() async throws(ClientError) {
        guard !isClosed else { throw .closed }
        guard local.account != nil else { throw .notRegistered }
        if supervisor == nil {
            stopReason = nil
            failedAttempts = 0
            supervisor = Task { await self.supervise() }
        }
        _ = try await currentSession()
    }

    /// The open session, waiting for one while the client is (re)connecting.
    func currentSession() async throws(ClientError) -> Session {
        if let session, session.isOpen { return session }
        if isClosed { throw .closed }
        if let stopReason { throw stopReason }
        guard supervisor != nil else { throw .notConnected }
        let id = UUID()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Session, ClientError>, Never>) in
                if Task.isCancelled {
                    continuation.resume(returning: .failure(.cancelled))
                } else {
                    sessionWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.resumeSessionWaiter(id, with: .failure(.cancelled)) }
        }
        return try result.get()
    }

    private func resumeSessionWaiter(_ id: UUID, with result: Result<Session, ClientError>) {
        sessionWaiters.removeValue(forKey: id)?.resume(returning: result)
    }

    /// Connects, runs the connection, and reconnects after a delay, until stopped.
    private func supervise() async {
        while !Task.isCancelled, !isClosed, stopReason == nil {
            guard let account = local.account, let server = local.server else {
                stop(.notRegistered)
                return
            }
            let parameters = parameters(auth: .authenticate(deviceID: account.deviceID), server: server,
                                        pinnedKey: pinnedKey(for: server))
            let ended: ClientError
            do {
                try await SessionRunner.run(parameters, established: { session, challenge throws(ClientError) in
                    try await self.established(session, challenge: challenge, server: server)
                }, push: { session, push in
                    await self.handlePush(push, on: session)
                })
                ended = .connectionLost
            } catch {
                ended = error
            }
            session = nil
            lastError = ended
            guard !Task.isCancelled, !isClosed else { return }
            guard Self.shouldReconnect(after: ended) else {
                logger.error("not reconnecting", metadata: ["reason": "\(ended)"])
                stop(ended)
                return
            }
            let delay = options.backoff.delay(attempt: failedAttempts)
            failedAttempts += 1
            logger.info("reconnecting", metadata: ["reason": "\(ended)", "delay": "\(delay)"])
            try? await Task.sleep(for: delay)
        }
    }

    /// Whether a connection that ended with `error` is worth opening again.
    static func shouldReconnect(after error: ClientError) -> Bool {
        switch error {
        case .connectionFailed, .connectionLost, .timedOut, .protocolViolation: true
        case .server(let error):
            switch error.code {
            case .internal, .retryLater, .rateLimited: true
            default: error.retryable
            }
        default: false
        }
    }

    private func established(_ session: Session, challenge: VerifiedChallenge,
                             server: ServerURL) throws(ClientError) {
        guard !isClosed else {
            session.close()
            return
        }
        if challenge.isFirstContact {
            try store.pinServer(server, key: challenge.serverKey)
            local = try store.load()
            logger.notice("pinned the server key on first contact", metadata: ["key": "\(challenge.serverKey.hexString)"])
        }
        self.session = session
        failedAttempts = 0
        backlogDrained = false
        let waiters = sessionWaiters
        sessionWaiters.removeAll()
        for waiter in waiters.values { waiter.resume(returning: .success(session)) }
        scheduleAckFlush()
    }

    /// Ends the connection for good with `reason`, failing every waiting call.
    func stop(_ reason: ClientError) {
        if stopReason == nil { stopReason = reason }
        let sessions = sessionWaiters
        sessionWaiters.removeAll()
        for waiter in sessions.values { waiter.resume(returning: .failure(reason)) }
        let drains = drainWaiters
        drainWaiters.removeAll()
        for waiter in drains.values { waiter.resume(returning: .failure(reason)) }
        failLinkWaiters(reason)
        if supervisor != nil, !isClosed { supervisor = nil }
    }

    /// Handles a push in arrival order. Never waits for an answer on `session` (its
    /// reader is the caller); work that needs answers runs in its own task.
    private func handlePush(_ push: WireServerFrame.OneOf_Body, on session: Session) {
        switch push {
        case .envelope(let envelope):
            receive(IncomingEnvelope(envelope))
        case .queueDrained:
            backlogDrained = true
            let waiters = drainWaiters
            drainWaiters.removeAll()
            for waiter in waiters.values { waiter.resume(returning: .success(deliveredCount)) }
        case .linkRequested(let request):
            guard ownLinkCodes.contains(request.code) else {
                logger.warning("link request for a code this device did not create", metadata: ["code": "\(request.code)"])
                return
            }
            Task { await self.approveLink(request) }
        case .keyPackagesLow(let notice):
            noticesContinuation.yield(ServerNotice(notice))
        default:
            logger.debug("ignoring an unexpected push")
        }
    }
}
