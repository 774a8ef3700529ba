import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import SwiftProtobuf
import TacitWire

/// What one connection attempt needs.
struct SessionParameters: Sendable {
    var server: ServerURL
    var identity: DeviceIdentity
    var pinnedKey: [UInt8]?
    var auth: AuthRequest
    var requestTimeout: Duration
    /// Time allowed from opening the socket to the AuthResult. Long for link-code claims,
    /// which are answered only once an existing device approves.
    var handshakeTimeout: Duration
    var maxMessageSize: Int
    var logger: Logger
}

/// Runs one WebSocket connection from handshake to close.
///
/// Three tasks share the socket: a reader (handshake, then answers and pushes), a writer
/// (frames queued by ``Session``) and a watchdog for the handshake. The first to end ends
/// the connection: the writer when the session is closed from this side, the reader when
/// the server closes, the watchdog when the handshake takes too long.
enum SessionRunner {
    /// Called once the device is authenticated; must not wait for answers on the session
    /// (the reader that would deliver them is the caller).
    typealias Established = @Sendable (Session, VerifiedChallenge) async throws(ClientError) -> Void
    /// Called for each push, in order; same rule as ``Established``.
    typealias PushHandler = @Sendable (Session, WireServerFrame.OneOf_Body) async -> Void

    /// Outbound messages are split into frames of this size, which every WebSocket server accepts.
    static let outboundFrameSize = 1 << 14

    /// Runs until the connection closes. Returns normally only when the session was closed
    /// from this side; otherwise throws why it ended.
    static func run(_ parameters: SessionParameters, established: @escaping Established,
                    push: @escaping PushHandler) async throws(ClientError) {
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: parameters.maxMessageSize,
            closeTimeout: .seconds(2),
            autoPing: .enabled(timePeriod: .seconds(15))
        )
        let current = LockedBox<Session?>(nil)
        let closeFrame: WebSocketCloseFrame?
        do {
            closeFrame = try await WebSocketClient.connect(url: parameters.server.connectURL,
                                                           configuration: configuration,
                                                           logger: parameters.logger) { inbound, outbound, _ in
                try await handle(inbound: inbound, outbound: outbound, parameters: parameters, current: current,
                                 established: established, push: push)
            }
        } catch {
            let session = current.value
            let reason = classify(error, afterHandshake: session != nil)
            session?.fail(reason)
            throw reason
        }
        let session = current.value
        if let session, session.wasClosedLocally { return }
        let reason = reason(for: closeFrame)
        session?.fail(reason)
        throw reason
    }

    /// Why the server closed the socket, from its close code.
    static func reason(for frame: WebSocketCloseFrame?) -> ClientError {
        guard let frame, case .unknown(let code) = frame.closeCode else { return .connectionLost }
        switch WireCloseCode(rawValue: code) {
        case .deviceRevoked: return .deviceRevoked
        case .replaced: return .replacedByNewerConnection
        case .handshakeTimeout: return .timedOut
        default: return .connectionLost
        }
    }

    private static func handle(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
                               parameters: SessionParameters, current: LockedBox<Session?>,
                               established: @escaping Established, push: @escaping PushHandler) async throws {
        let (queued, queue) = AsyncStream<WireClientFrame>.makeStream()
        let handshakeDone = LockedBox(false)
        let logger = parameters.logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in queued { try await write(frame, to: outbound) }
            }
            group.addTask {
                var messages = inbound.messages(maxSize: parameters.maxMessageSize).makeAsyncIterator()
                let nonce = Handshake.randomNonce()
                try await write(Handshake.hello(clientNonce: nonce), to: outbound)
                // A socket the server closes before or during the handshake ends this task
                // normally; the close code then tells why.
                guard let challengeFrame = try await nextFrame(&messages) else { return }
                let verified = try Handshake.verify(challengeFrame, clientNonce: nonce,
                                                    pinnedKey: parameters.pinnedKey, server: parameters.server)
                try await write(try Handshake.authFrame(parameters.auth, challenge: verified,
                                                        identity: parameters.identity, now: Date()), to: outbound)
                guard let resultFrame = try await nextFrame(&messages) else { return }
                let result = try Handshake.authResult(resultFrame)
                handshakeDone.value = true
                let session = Session(serverKey: verified.serverKey, username: result.username,
                                      deviceID: result.deviceID, outbound: queue,
                                      requestTimeout: parameters.requestTimeout)
                current.value = session
                logger.debug("authenticated", metadata: ["username": "\(result.username)", "device": "\(result.deviceID)"])
                try await established(session, verified)
                while let frame = try await nextFrame(&messages) {
                    if frame.requestID == 0 {
                        if let body = frame.body { await push(session, body) }
                    } else if !session.deliver(frame) {
                        logger.debug("answer to an unknown request", metadata: ["request": "\(frame.requestID)"])
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: parameters.handshakeTimeout)
                guard handshakeDone.value else { throw ClientError.timedOut }
                while true { try await Task.sleep(for: .seconds(3600)) }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// The next ServerFrame, or nil when the server closed the socket.
    private static func nextFrame(_ messages: inout WebSocketInboundMessageStream.AsyncIterator) async throws -> WireServerFrame? {
        guard let message = try await messages.next() else { return nil }
        guard case .binary(let buffer) = message else {
            throw ClientError.protocolViolation("a text frame (the protocol uses binary frames only)")
        }
        do {
            return try WireServerFrame(serializedBytes: Array(buffer.readableBytesView))
        } catch {
            throw ClientError.protocolViolation("an undecodable ServerFrame")
        }
    }

    private static func write(_ frame: WireClientFrame, to outbound: WebSocketOutboundWriter) async throws {
        let bytes: [UInt8] = try frame.serializedBytes()
        try await outbound.withBinaryMessageWriter { writer in
            var start = 0
            repeat {
                let end = min(start + outboundFrameSize, bytes.count)
                try await writer(ByteBuffer(bytes: bytes[start..<end]))
                start = end
            } while start < bytes.count
        }
    }

    /// Maps whatever ended a connection to a ``ClientError``.
    static func classify(_ error: any Error, afterHandshake: Bool) -> ClientError {
        switch error {
        case let error as ClientError: error
        case is CancellationError: .cancelled
        default: afterHandshake ? .connectionLost : .connectionFailed(String(describing: error))
        }
    }
}

