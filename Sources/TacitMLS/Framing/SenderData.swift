/// The encrypted header of a PrivateMessage that says which key to use (RFC 9420, Section 6.3.2).
///
/// ```
/// struct {
///     uint32 leaf_index;
///     uint32 generation;
///     opaque reuse_guard[4];
/// } SenderData;
/// ```
public struct SenderData: Hashable, Sendable, MLSCodable {
    /// The sending member's leaf.
    public var leafIndex: LeafIndex
    /// The generation of the sender's ratchet that encrypted the content.
    public var generation: UInt32
    /// Four random bytes XORed into the content nonce, against nonce reuse after state loss.
    public var reuseGuard: [UInt8]

    /// Creates sender data; `reuseGuard` must be 4 bytes.
    public init(leafIndex: LeafIndex, generation: UInt32, reuseGuard: [UInt8]) {
        self.leafIndex = leafIndex
        self.generation = generation
        self.reuseGuard = reuseGuard
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(leafIndex)
        encoder.write(generation)
        encoder.writeRaw(reuseGuard)
    }

    public init(from decoder: inout MLSDecoder) throws {
        leafIndex = try decoder.read()
        generation = try decoder.readUInt32()
        reuseGuard = try decoder.readRaw(count: 4)
    }

    /// `nonce` with its first four bytes XORed with `reuseGuard` (Section 6.3.1).
    func guardedNonce(_ nonce: [UInt8]) -> [UInt8] {
        var guarded = nonce
        for index in 0..<min(4, guarded.count, reuseGuard.count) { guarded[index] ^= reuseGuard[index] }
        return guarded
    }
}
