import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A WebSocket client written out by hand over a blocking loopback TCP socket: it does only
/// what a test tells it, so it can stay silent to pings, fragment messages, or never read.
/// Each call blocks a thread of its own, never one of the cooperative pool (two here, and
/// the server under test needs them).
final class RawWebSocket: @unchecked Sendable {
    struct Frame: Equatable {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]

        /// The close code of a close frame.
        var closeCode: UInt16? {
            guard opcode == 0x8, payload.count >= 2 else { return nil }
            return UInt16(payload[0]) << 8 | UInt16(payload[1])
        }
    }

    enum Failure: Error, Equatable { case connect(Int32), handshake(String), closed, timedOut }

    private let descriptor: Int32
    private var received: [UInt8] = []

    /// Connects to `127.0.0.1:port` and upgrades `path`.
    static func connect(port: Int, path: String) async throws -> RawWebSocket {
        try await offPool { try RawWebSocket(port: port, path: path) }
    }

    private init(port: Int, path: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure.connect(errno) }
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try write(Array(request.utf8))
        let head = try readHead()
        guard head.hasPrefix("HTTP/1.1 101") else { throw Failure.handshake(head) }
    }

    deinit { Glibc.close(descriptor) }

    /// Sends one frame, masked as a client must.
    func send(opcode: UInt8, fin: Bool = true, _ payload: [UInt8]) async throws {
        try await Self.offPool { try self.sendBlocking(opcode: opcode, fin: fin, payload) }
    }

    /// The next frame from the server, waiting at most `timeout`.
    func receive(timeout: Duration = .seconds(10)) async throws -> Frame {
        try await Self.offPool { try self.receiveBlocking(timeout: timeout) }
    }

    /// Frames until (and including) the server's close frame.
    func receiveUntilClose(timeout: Duration = .seconds(10)) async throws -> [Frame] {
        var frames: [Frame] = []
        while true {
            let frame = try await receive(timeout: timeout)
            frames.append(frame)
            if frame.opcode == 0x8 { return frames }
        }
    }

    /// Stops sending (TCP half-close), as a client does that goes away without a close frame.
    func shutdownWrite() {
        _ = shutdown(descriptor, Int32(SHUT_WR))
    }

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    private func sendBlocking(opcode: UInt8, fin: Bool, _ payload: [UInt8]) throws {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            bytes.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            bytes.append(0x80 | 126)
            bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            bytes.append(0x80 | 127)
            bytes += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(bytes)
    }

    private func receiveBlocking(timeout: Duration) throws -> Frame {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let frame = takeFrame() { return frame }
            try fill(until: deadline)
        }
    }

    private func takeFrame() -> Frame? {
        guard received.count >= 2 else { return nil }
        var length = Int(received[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard received.count >= 4 else { return nil }
            length = Int(received[2]) << 8 | Int(received[3])
            offset = 4
        } else if length == 127 {
            guard received.count >= 10 else { return nil }
            length = received[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard received.count >= offset + length else { return nil }
        let frame = Frame(fin: received[0] & 0x80 != 0, opcode: received[0] & 0x0F,
                          payload: Array(received[offset..<offset + length]))
        received.removeFirst(offset + length)
        return frame
    }

    private func readHead() throws -> String {
        let deadline = ContinuousClock.now + .seconds(10)
        let end: [UInt8] = [13, 10, 13, 10]
        while true {
            if let range = received.firstRange(of: end) {
                let head = String(decoding: received[..<range.lowerBound], as: UTF8.self)
                received.removeFirst(range.upperBound)
                return head
            }
            try fill(until: deadline)
        }
    }

    private func fill(until deadline: ContinuousClock.Instant) throws {
        let left = deadline - .now
        guard left > .zero else { throw Failure.timedOut }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&poller, 1, max(1, milliseconds)) > 0 else { throw Failure.timedOut }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        guard count > 0 else { throw Failure.closed }
        received += chunk[..<count]
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw Failure.closed }
            sent += result
        }
    }
}
