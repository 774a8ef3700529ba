/// The committer's new leaf and the new keys of its filtered direct path (RFC 9420, Section 7.6).
///
/// ```
/// struct {
///     LeafNode leaf_node;
///     UpdatePathNode nodes<V>;
/// } UpdatePath;
/// ```
public struct UpdatePath: Hashable, Sendable, MLSCodable {
    /// The committer's new leaf node (source `commit`).
    public var leafNode: LeafNode
    /// One entry per node of the committer's filtered direct path, leaf to root.
    public var nodes: [UpdatePathNode]

    /// Creates a value from its fields.
    public init(leafNode: LeafNode, nodes: [UpdatePathNode]) {
        self.leafNode = leafNode
        self.nodes = nodes
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(leafNode)
        encoder.writeVector(nodes)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        leafNode = try decoder.read()
        nodes = try decoder.readVector()
    }
}
