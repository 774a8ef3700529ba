/// The position of a leaf among the leaves of a ratchet tree, counted from the left (RFC 9420, Section 4.1.1).
///
/// Encoded as `uint32`, as in `LeafNodeTBS.leaf_index` and `Sender.leaf_index`.
public struct LeafIndex: RawRepresentable, Hashable, Comparable, Sendable, MLSCodable, CustomStringConvertible {
    public var rawValue: UInt32

    /// Creates a value from its fields.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Creates a leaf index from a plain integer.
    public init(_ value: UInt32) { rawValue = value }

    /// The node index of this leaf in the array representation: leaf `n` sits at node `2n`.
    public var nodeIndex: NodeIndex { NodeIndex(rawValue: rawValue &* 2) }

    public static func < (lhs: LeafIndex, rhs: LeafIndex) -> Bool { lhs.rawValue < rhs.rawValue }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { rawValue = try decoder.readUInt32() }

    public var description: String { "leaf \(rawValue)" }
}
