import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import SwiftProtobuf
import TacitWire

/// One device's WebSocket to the server, lean enough that a single generator core can drive
/// hundreds of thousands of frames a second: frames are handled on the channel's event loop
/// by callbacks, with no task or stream per frame.
///
/// Thread confinement: everything but ``request(_:)`` and ``close()`` must be called on
/// ``eventLoop`` (the callbacks are invoked there). That is why the type can be shared.
final class BenchSocket: @unchecked Sendable {
    let channel: any Channel
    var eventLoop: any EventLoop { channel.eventLoop }

    /// Pushes from the server (request id 0), in arrival order.
    var onPush: ((WireServerFrame.OneOf_Body) -> Void)?
    /// Answers to frames sent with ``send(_:)``.
    var onAnswer: ((UInt64, WireServerFrame.OneOf_Body?) -> Void)?
    /// The end of a burst of reads: the moment to send batched acknowledgements.
    var onReadComplete: (() -> Void)?

    private var pending: [UInt64: EventLoopPromise<WireServerFrame>] = [:]
    private var nextRequestID: UInt64 = 1
    private var flushScheduled = false
    private(set) var isClosed = false
    private(set) var closeCode: UInt16?

    init(channel: any Channel) {
        self.channel = channel
    }

    // MARK: Connecting

    private enum Upgrade: Sendable {
        case upgraded(BenchSocket)
        case refused
    }

    /// Opens a socket to `server`, from `source` (a local address such as `127.0.0.2`) when given.
    static func connect(to server: BenchServerAddress, from source: String?, group: any EventLoopGroup,
                        maxFrameSize: Int = 1 << 20) async throws -> BenchSocket {
        var bootstrap = ClientBootstrap(group: group).connectTimeout(.seconds(10))
        if let source {
            bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0))
        }
        let host = server.host
        let port = server.port
        let upgrade: EventLoopFuture<Upgrade> = try await bootstrap.connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: maxFrameSize) { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        let socket = BenchSocket(channel: channel)
                        try channel.pipeline.syncOperations.addHandler(BenchFrameHandler(socket: socket))
                        return .upgraded(socket)
                    }
                }
                var headers = HTTPHeaders()
                headers.add(name: "Host", value: "\(host):\(port)")
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: WireProtocol.connectPath,
                                           headers: headers)
                let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                    upgradeRequestHead: head, upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(.refused) })
                return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                    configuration: .init(upgradeConfiguration: configuration))
            }
        }
        switch try await upgrade.get() {
        case .upgraded(let socket): return socket
        case .refused: throw BenchError.notUpgraded
        }
    }

    // MARK: Requests

    /// Sends `body` and completes with the frame that answers it. Callable from anywhere.
    func request(_ body: WireClientFrame.OneOf_Body) -> EventLoopFuture<WireServerFrame> {
        eventLoop.flatSubmit {
            let promise = self.eventLoop.makePromise(of: WireServerFrame.self)
            guard !self.isClosed else {
                promise.fail(BenchError.closed(code: self.closeCode))
                return promise.futureResult
            }
            let id = self.takeRequestID()
            self.pending[id] = promise
            self.write(WireClientFrame(requestID: id, body: body))
            return promise.futureResult
        }
    }

    /// Sends `body` without waiting; its answer goes to ``onAnswer``. Returns the request id.
    @discardableResult
    func send(_ body: WireClientFrame.OneOf_Body) -> UInt64 {
        let id = takeRequestID()
        write(WireClientFrame(requestID: id, body: body))
        return id
    }

    /// Closes the socket with a normal close frame. Callable from anywhere.
    func close() {
        eventLoop.execute {
            guard !self.isClosed, self.channel.isActive else { return }
            var data = self.channel.allocator.buffer(capacity: 2)
            data.writeInteger(UInt16(1000))
            let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)
            self.channel.writeAndFlush(frame).whenComplete { _ in
                // A server that does not answer the close is cut off shortly after.
                self.eventLoop.scheduleTask(in: .seconds(2)) { self.channel.close(promise: nil) }
            }
        }
    }

    private func takeRequestID() -> UInt64 {
        defer { nextRequestID += 1 }
        return nextRequestID
    }

    /// Writes now and flushes once per event-loop turn, so a burst of sends is one syscall.
    private func write(_ frame: WireClientFrame) {
        guard !isClosed else { return }
        let bytes: [UInt8] = (try? frame.serializedBytes()) ?? []
        let data = channel.allocator.buffer(bytes: bytes)
        channel.write(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: data), promise: nil)
        guard !flushScheduled else { return }
        flushScheduled = true
        eventLoop.execute {
            self.flushScheduled = false
            self.channel.flush()
        }
    }

    // MARK: From the handler

    func received(_ frame: WireServerFrame) {
        if frame.requestID == 0 {
            if let body = frame.body { onPush?(body) }
        } else if let promise = pending.removeValue(forKey: frame.requestID) {
            promise.succeed(frame)
        } else {
            onAnswer?(frame.requestID, frame.body)
        }
    }

    func readComplete() {
        onReadComplete?()
    }

    func serverClosed(code: UInt16?) {
        closeCode = code
    }

    func violation(_ what: String) {
        failAll(BenchError.protocolViolation(what))
    }

    func channelClosed() {
        isClosed = true
        failAll(BenchError.closed(code: closeCode))
        onPush = nil
        onAnswer = nil
        onReadComplete = nil
    }

    private func failAll(_ error: BenchError) {
        let waiting = pending
        pending.removeAll()
        for promise in waiting.values { promise.fail(error) }
    }
}
