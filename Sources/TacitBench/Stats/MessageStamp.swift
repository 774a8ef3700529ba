/// What the generator writes at the start of every message body: which stream the message
/// belongs to, its sequence number in that stream and when it was sent. The rest of the body
/// is padding up to the requested size; the server sees only opaque bytes.
///
/// Layout (little-endian): stream (u32) · sequence (u64) · sent at (u64, monotonic ns).
public struct MessageStamp: Sendable, Equatable {
    /// Bytes the stamp takes; bodies are at least this long.
    public static let byteCount = 20

    public var stream: UInt32
    public var sequence: UInt64
    /// `CLOCK_MONOTONIC` nanoseconds, comparable across processes of one machine.
    public var sentAtNanoseconds: UInt64

    public init(stream: UInt32, sequence: UInt64, sentAtNanoseconds: UInt64) {
        self.stream = stream
        self.sequence = sequence
        self.sentAtNanoseconds = sentAtNanoseconds
    }

    /// A body of `size` bytes (at least ``byteCount``) that starts with this stamp.
    public func body(size: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0x2e, count: max(size, Self.byteCount))
        Self.put(UInt64(stream), width: 4, into: &bytes, at: 0)
        Self.put(sequence, width: 8, into: &bytes, at: 4)
        Self.put(sentAtNanoseconds, width: 8, into: &bytes, at: 12)
        return bytes
    }

    /// Reads the stamp at the start of `body`, or nil when it is too short to hold one.
    public init?(body: some Collection<UInt8>) {
        guard body.count >= Self.byteCount else { return nil }
        let head = Array(body.prefix(Self.byteCount))
        stream = UInt32(Self.get(head, at: 0, width: 4))
        sequence = Self.get(head, at: 4, width: 8)
        sentAtNanoseconds = Self.get(head, at: 12, width: 8)
    }

    private static func put(_ value: UInt64, width: Int, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<width { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    private static func get(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }
}
