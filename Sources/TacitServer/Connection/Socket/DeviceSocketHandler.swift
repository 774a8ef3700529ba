import Logging
import NIOCore
import NIOWebSocket

/// The WebSocket protocol of one device socket, on its event loop: reassembles messages,
/// answers pings, runs the closing handshake and the keep-alive check, and hands complete
/// binary messages to the ``ConnectionSession``.
///
/// It replaces an async WebSocket handler with its own tasks per connection: an idle
/// socket is this object, its channel and the session's state, and no task at all.
///
/// Reading stops while the session has a long queue of requests or the client does not
/// read its answers (the channel is not writable), and resumes when both are clear.
final class DeviceSocketHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Outbound user event: close with this code (sent through ``DeviceSocketWriter``).
    struct Close: Sendable {
        var code: WebSocketErrorCode
        var reason: String
    }

    /// Inbound user event, sent to every socket once per keep-alive interval.
    struct KeepaliveTick: Sendable {}

    private let session: ConnectionSession
    private let maxMessageBytes: Int
    private let closeTimeout: TimeAmount
    private let shutdownGrace: TimeAmount

    /// The message being reassembled from fragments.
    private var partial: ByteBuffer?
    private var partialIsText = false
    private var closeSent = false
    private var closeTimer: Scheduled<Void>?
    /// Keep-alive: a ping is out and nothing was heard since.
    private var pingUnanswered = false
    private var backlogged = false

    init(session: ConnectionSession, maxMessageBytes: Int, closeTimeout: Duration, shutdownGrace: Duration) {
        self.session = session
        self.maxMessageBytes = maxMessageBytes
        self.closeTimeout = TimeAmount(closeTimeout)
        self.shutdownGrace = TimeAmount(shutdownGrace)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        pingUnanswered = false
        switch frame.opcode {
        case .ping:
            guard !closeSent else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)),
                                  promise: nil)
        case .pong:
            break
        case .connectionClose:
            receivedClose(frame, context: context)
        case .binary, .text:
            guard partial == nil else {
                return startClose(context, code: .protocolError, reason: "a new message began inside a fragmented one")
            }
            partialIsText = frame.opcode == .text
            append(frame, context: context)
        case .continuation:
            guard partial != nil else {
                return startClose(context, code: .protocolError, reason: "a continuation frame without a message")
            }
            append(frame, context: context)
        default:
            startClose(context, code: .protocolError, reason: "unknown opcode")
        }
    }

    private func append(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        guard !closeSent else { return }
        var data = frame.unmaskedData
        if partial == nil, frame.fin {
            return deliver(data, context: context)
        }
        guard (partial?.readableBytes ?? 0) + data.readableBytes <= maxMessageBytes else {
            partial = nil
            return startClose(context, code: .messageTooLarge, reason: "message larger than \(maxMessageBytes) bytes")
        }
        if partial == nil { partial = context.channel.allocator.buffer(capacity: data.readableBytes * 2) }
        partial!.writeBuffer(&data)
        if frame.fin, let message = partial {
            partial = nil
            deliver(message, context: context)
        }
    }

    private func deliver(_ message: ByteBuffer, context: ChannelHandlerContext) {
        if partialIsText {
            session.receiveText()
            return
        }
        guard session.receive(message) == .pause, !backlogged else { return }
        backlogged = true
        updateReading(context)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        session.whenRequestsDrained {
            handler.eventLoop.execute {
                handler.value.backlogged = false
                handler.value.updateReading(loopBoundContext.value)
            }
        }
    }

    private func receivedClose(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        if closeSent {
            context.close(promise: nil)
            return
        }
        // Echo the client's code, then close: the client started the handshake.
        closeSent = true
        var data = frame.unmaskedData
        let code = data.readWebSocketErrorCode() ?? .normalClosure
        let echo = Self.closeFrame(code: code, reason: "", allocator: context.channel.allocator)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(echo)).whenComplete { _ in channel.close(promise: nil) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateReading(context)
        context.fireChannelWritabilityChanged()
    }

    /// Reads only while the session keeps up and the client reads what it is sent.
    private func updateReading(_ context: ChannelHandlerContext) {
        let read = !backlogged && context.channel.isWritable
        context.channel.setOption(ChannelOptions.autoRead, value: read).whenFailure { _ in }
        if read { context.read() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is KeepaliveTick:
            keepalive(context)
        case is ChannelShouldQuiesceEvent:
            startClose(context, code: .goingAway, reason: "the server is shutting down", timeout: shutdownGrace)
        case ChannelEvent.inputClosed:
            // The server accepts half-closed connections (for HTTP); a socket whose client
            // stopped sending is over.
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// A client that answered nothing since the last ping is gone; otherwise ping again.
    private func keepalive(_ context: ChannelHandlerContext) {
        guard !closeSent else { return }
        if pingUnanswered {
            return startClose(context, code: .goingAway, reason: "no answer to the keep-alive ping")
        }
        pingUnanswered = true
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeTimer?.cancel()
        closeTimer = nil
        session.socketClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Nothing may follow a close frame.
        guard !closeSent else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        context.write(data, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let close = event as? Close else {
            return context.triggerUserOutboundEvent(event, promise: promise)
        }
        startClose(context, code: close.code, reason: close.reason)
        promise?.succeed()
    }

    /// Sends the close frame and gives the client `timeout` to answer before cutting it off.
    private func startClose(_ context: ChannelHandlerContext, code: WebSocketErrorCode, reason: String,
                            timeout: TimeAmount? = nil) {
        guard !closeSent else { return }
        let frame = Self.closeFrame(code: code, reason: reason, allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        closeSent = true
        partial = nil
        let channel = context.channel
        closeTimer = context.eventLoop.scheduleTask(in: timeout ?? closeTimeout) { channel.close(promise: nil) }
    }

    /// A close frame: the code, then at most 123 bytes of UTF-8 reason (RFC 6455 §5.5).
    static func closeFrame(code: WebSocketErrorCode, reason: String, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var text = Substring(reason)
        while text.utf8.count > 123 { text = text.dropLast() }
        var data = allocator.buffer(capacity: 2 + text.utf8.count)
        data.write(webSocketErrorCode: code)
        data.writeString(String(text))
        return WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
    }
}
