/// A request to replace the sender's leaf node (RFC 9420, Section 12.1.2).
///
/// ```
/// struct { LeafNode leaf_node; } Update;
/// ```
public struct UpdateProposal: Hashable, Sendable, MLSCodable {
    /// The sender's new leaf node; its source must be `update`.
    public var leafNode: LeafNode

    /// Creates a value from its fields.
    public init(leafNode: LeafNode) { self.leafNode = leafNode }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(leafNode) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { leafNode = try decoder.read() }
}
