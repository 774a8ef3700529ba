import NIOCore
import NIOWebSocket
import SwiftProtobuf
import TacitWire

/// The WebSocket end of a ``BenchSocket``: answers pings (the server's keep-alive), answers
/// a close, joins fragments and hands every decoded ServerFrame to the socket.
final class BenchFrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let socket: BenchSocket
    private var fragments: ByteBuffer?

    init(socket: BenchSocket) {
        self.socket = socket
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary:
            if frame.fin { deliver(frame.unmaskedData) } else { fragments = frame.unmaskedData }
        case .continuation:
            guard var joined = fragments else { return }
            var more = frame.unmaskedData
            joined.writeBuffer(&more)
            if frame.fin {
                fragments = nil
                deliver(joined)
            } else {
                fragments = joined
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readInteger(as: UInt16.self)
            socket.serverClosed(code: code)
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.writeInteger(code ?? 1000)
            let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: reply)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
        case .text:
            socket.violation("a text frame (the protocol uses binary frames only)")
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        socket.readComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        socket.channelClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func deliver(_ buffer: ByteBuffer) {
        guard let frame = try? WireServerFrame(serializedBytes: Array(buffer.readableBytesView)) else {
            socket.violation("an undecodable ServerFrame")
            return
        }
        socket.received(frame)
    }
}
