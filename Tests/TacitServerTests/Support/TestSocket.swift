import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import Synchronization
import TacitWire

/// A raw WebSocket to the server under test: sends any bytes, reads frames one by one, and
/// tells how the server closed it.
final class TestSocket: Sendable {
    enum Failure: Error, CustomStringConvertible {
        case timedOut(String)
        case closed
        case unexpected(String)

        var description: String {
            switch self {
            case .timedOut(let what): "timed out waiting for \(what)"
            case .closed: "the socket closed"
            case .unexpected(let what): "unexpected: \(what)"
            }
        }
    }

    private enum Outgoing: Sendable {
        case binary([UInt8])
        case text(String)
    }

    private let inbox = Inbox()
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let task: Task<WebSocketCloseFrame?, any Error>
    private let nextID = Counter()
    /// Pushes that arrived while ``request(_:timeout:)`` waited for its answer.
    private let skippedPushes = Mutex<[WireServerFrame]>([])

    private init(url: String, tls: TLSConfiguration? = nil) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        outgoing = continuation
        let inbox = inbox
        var logger = Logger(label: "test.socket")
        logger.logLevel = .warning
        task = Task {
            defer { Task { await inbox.finish() } }
            return try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 1 << 21, sniHostname: tls == nil ? nil : "localhost"),
                tlsConfiguration: tls, logger: logger
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            await inbox.deliver(message)
                        }
                    }
                    group.addTask {
                        for await item in stream {
                            switch item {
                            case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                            case .text(let text): try await outbound.write(.text(text))
                            }
                        }
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// Opens a socket to the server's message endpoint.
    static func connect(port: Int, path: String = WireProtocol.connectPath) async -> TestSocket {
        TestSocket(url: "ws://127.0.0.1:\(port)\(path)")
    }

    /// Opens a TLS socket (`wss`), trusting any certificate: the tests use a throwaway one.
    static func connectTLS(port: Int) async -> TestSocket {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return TestSocket(url: "wss://127.0.0.1:\(port)\(WireProtocol.connectPath)", tls: tls)
    }

    /// A fresh, non-zero request id.
    func requestID() -> UInt64 { nextID.next() }

    func send(_ frame: WireClientFrame) {
        outgoing.yield(.binary(WireCoding.encode(frame)))
    }

    /// Sends `body` with a fresh request id and returns the id.
    @discardableResult
    func send(_ body: WireClientFrame.OneOf_Body) -> UInt64 {
        let id = requestID()
        send(WireClientFrame(requestID: id, body: body))
        return id
    }

    func sendRaw(_ bytes: [UInt8]) {
        outgoing.yield(.binary(bytes))
    }

    func sendText(_ text: String) {
        outgoing.yield(.text(text))
    }

    /// The next frame from the server.
    func receive(timeout: Duration = .seconds(30)) async throws -> WireServerFrame {
        guard let message = try await inbox.next(timeout: timeout) else { throw Failure.closed }
        guard case .binary(let buffer) = message else { throw Failure.unexpected("a text frame") }
        return try WireCoding.decode(WireServerFrame.self, from: buffer.readableBytesView)
    }

    /// Sends `body` and returns the server's answer to it (skipping pushes in between).
    func request(_ body: WireClientFrame.OneOf_Body, timeout: Duration = .seconds(30)) async throws -> WireServerFrame {
        let id = send(body)
        while true {
            let frame = try await receive(timeout: timeout)
            if frame.requestID == id { return frame }
            if frame.requestID != 0 { throw Failure.unexpected("an answer to request \(frame.requestID)") }
            skippedPushes.withLock { $0.append(frame) }
        }
    }

    /// The next push (request id 0), including ones ``request(_:timeout:)`` skipped.
    func push(timeout: Duration = .seconds(30)) async throws -> WireServerFrame {
        if let skipped = skippedPushes.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return skipped }
        let frame = try await receive(timeout: timeout)
        guard frame.requestID == 0 else { throw Failure.unexpected("an answer to request \(frame.requestID)") }
        return frame
    }

    /// The next pushed envelope; fails on any other push.
    func envelope(timeout: Duration = .seconds(30)) async throws -> WireEnvelope {
        let frame = try await push(timeout: timeout)
        guard case .envelope(let envelope) = frame.body else { throw Failure.unexpected("\(frame)") }
        return envelope
    }

    /// Waits for `QueueDrained`, returning the envelopes pushed before it.
    func backlog(timeout: Duration = .seconds(30)) async throws -> [WireEnvelope] {
        var envelopes: [WireEnvelope] = []
        while true {
            let frame = try await push(timeout: timeout)
            switch frame.body {
            case .envelope(let envelope): envelopes.append(envelope)
            case .queueDrained: return envelopes
            default: throw Failure.unexpected("\(frame)")
            }
        }
    }

    /// Asserts that nothing arrives within `window`.
    func expectSilence(for window: Duration = .milliseconds(300)) async throws {
        if let skipped = skippedPushes.withLock({ $0.first }) { throw Failure.unexpected("\(skipped)") }
        do {
            let frame = try await receive(timeout: window)
            throw Failure.unexpected("\(frame)")
        } catch Failure.timedOut {
            return
        }
    }

    /// Waits until the server closes the socket and returns its close code.
    func closeCode(timeout: Duration = .seconds(10)) async throws -> UInt16? {
        // The client side stays open: finishing it first would race the server's close frame.
        let task = task
        return try await withThrowingTaskGroup(of: UInt16?.self) { group in
            group.addTask {
                guard let frame = try await task.value else { return nil }
                return Self.number(frame.closeCode)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Failure.timedOut("the socket to close")
            }
            let code = try await group.next() ?? nil
            group.cancelAll()
            return code
        }
    }

    /// Reads frames until the server closes; returns them and the close code.
    func drainUntilClosed(timeout: Duration = .seconds(10)) async throws -> ([WireServerFrame], UInt16?) {
        var frames: [WireServerFrame] = []
        while true {
            do {
                frames.append(try await receive(timeout: timeout))
            } catch Failure.closed {
                return (frames, try await closeCode(timeout: timeout))
            }
        }
    }

    /// Closes from the client side.
    func close() async {
        outgoing.finish()
        _ = try? await task.value
    }

    private static func number(_ code: WebSocketErrorCode) -> UInt16 {
        switch code {
        case .normalClosure: 1000
        case .goingAway: 1001
        case .protocolError: 1002
        case .unacceptableData: 1003
        case .dataInconsistentWithMessage: 1007
        case .policyViolation: 1008
        case .messageTooLarge: 1009
        case .missingExtension: 1010
        case .unexpectedServerError: 1011
        case .unknown(let value): value
        }
    }
}

/// Frames that arrived and readers waiting for them.
private actor Inbox {
    private var buffered: [WebSocketMessage] = []
    private var finished = false
    private var waiter: (id: Int, continuation: CheckedContinuation<WebSocketMessage?, any Error>)?
    private var waiterCount = 0

    func deliver(_ message: WebSocketMessage) {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: message)
        } else {
            buffered.append(message)
        }
    }

    func finish() {
        finished = true
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: nil)
        }
    }

    func next(timeout: Duration) async throws -> WebSocketMessage? {
        if !buffered.isEmpty { return buffered.removeFirst() }
        if finished { return nil }
        waiterCount += 1
        let id = waiterCount
        return try await withCheckedThrowingContinuation { continuation in
            waiter = (id, continuation)
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume(throwing: TestSocket.Failure.timedOut("a frame"))
    }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let value = Mutex<UInt64>(0)

    func next() -> UInt64 {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
