import NIOCore
import NIOWebSocket
import TacitWire

/// What a session does with its socket: send frames and close it. Usable from any thread;
/// each call is one hop to the channel's event loop, however many frames it carries.
struct DeviceSocketWriter: Sendable {
    let channel: any Channel

    /// Sends `frame` without waiting for it to reach the socket. Answers need no wait: the
    /// handler stops reading a client whose answers pile up (``DeviceSocketHandler``).
    func send(_ frame: WireServerFrame) {
        channel.writeAndFlush(Self.webSocketFrame(frame, allocator: channel.allocator), promise: nil)
    }

    /// Sends `frames` with one flush and returns once they reached the socket, so a long
    /// backlog is held one page at a time; false if the socket is gone.
    func sendAndWait(_ frames: [WireServerFrame]) async -> Bool {
        guard !frames.isEmpty else { return channel.isActive }
        let channel = channel
        let encoded = frames.map { Self.webSocketFrame($0, allocator: channel.allocator) }
        let written = channel.eventLoop.flatSubmit {
            var last = channel.eventLoop.makeSucceededVoidFuture()
            for frame in encoded { last = channel.write(frame) }
            channel.flush()
            return last
        }
        do {
            try await written.get()
            return true
        } catch {
            return false
        }
    }

    /// Starts the closing handshake with `reason` (see ``DeviceSocketHandler``).
    func close(_ reason: CloseReason) {
        let code = WebSocketErrorCode(codeNumber: Int(reason.code.rawValue))
        channel.triggerUserOutboundEvent(DeviceSocketHandler.Close(code: code, reason: reason.reason), promise: nil)
    }

    private static func webSocketFrame(_ frame: WireServerFrame, allocator: ByteBufferAllocator) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .binary, data: allocator.buffer(bytes: WireCoding.encode(frame)))
    }
}
