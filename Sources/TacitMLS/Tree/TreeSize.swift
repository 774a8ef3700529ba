/// The shape of a ratchet tree with a given number of leaves, and the index relations that
/// depend on it: root, parent, sibling, direct path and copath (RFC 9420, Section 4.1 and Appendix C).
///
/// MLS trees always have a power-of-two number of leaves, but the math here follows the
/// Appendix C algorithms, which are defined for any positive count.
public struct TreeSize: Hashable, Sendable, CustomStringConvertible {
    /// The number of leaves; at least 1.
    public let leafCount: UInt32

    /// Creates the shape of a tree with `leafCount` leaves (clamped to at least 1).
    public init(leafCount: UInt32) { self.leafCount = max(leafCount, 1) }

    /// The number of nodes in the array: `2 * (leafCount - 1) + 1`.
    public var nodeWidth: UInt32 { 2 &* (leafCount - 1) &+ 1 }

    /// The root node: the largest `2^k - 1` that is below the node width.
    public var root: NodeIndex {
        let width = nodeWidth
        let log2 = UInt32.bitWidth - 1 - width.leadingZeroBitCount
        return NodeIndex(rawValue: UInt32((UInt64(1) << UInt64(log2)) - 1))
    }

    /// Whether `node` is a position in this tree.
    public func contains(_ node: NodeIndex) -> Bool { node.rawValue < nodeWidth }

    /// Whether `leaf` is a position in this tree.
    public func contains(_ leaf: LeafIndex) -> Bool { leaf.rawValue < leafCount }

    /// The parent of `node`, or `nil` for the root.
    public func parent(of node: NodeIndex) -> NodeIndex? {
        // Nodes outside the tree have no parent here, which also bounds every upward walk.
        guard node != root, contains(node) else { return nil }
        let k = UInt64(node.level)
        let x = UInt64(node.rawValue)
        let b = (x >> (k + 1)) & 1
        return NodeIndex(rawValue: UInt32(truncatingIfNeeded: (x | (1 << k)) ^ (b << (k + 1))))
    }

    /// The other child of `node`'s parent, or `nil` for the root.
    public func sibling(of node: NodeIndex) -> NodeIndex? {
        guard let parent = parent(of: node) else { return nil }
        return node < parent ? parent.right : parent.left
    }

    /// The ancestors of `node` from its parent up to and including the root; empty for the root.
    public func directPath(of node: NodeIndex) -> [NodeIndex] {
        var path: [NodeIndex] = []
        var current = node
        while let parent = parent(of: current) {
            path.append(parent)
            current = parent
        }
        return path
    }

    /// The siblings of `node` and of each node on its direct path below the root, from leaf to root.
    public func copath(of node: NodeIndex) -> [NodeIndex] {
        ([node] + directPath(of: node).dropLast()).compactMap { sibling(of: $0) }
    }

    /// The direct path of `leaf` paired with the copath child under each node, leaf to root.
    public func directPathWithCopath(of leaf: LeafIndex) -> [(parent: NodeIndex, copathChild: NodeIndex)] {
        zip(directPath(of: leaf.nodeIndex), copath(of: leaf.nodeIndex)).map { ($0, $1) }
    }

    /// The direct path of `leaf` without the nodes whose copath child has an empty resolution
    /// (Section 4.1.2). `resolutionIsEmpty` answers for a copath child.
    public func filteredDirectPath(
        of leaf: LeafIndex, resolutionIsEmpty: (NodeIndex) -> Bool
    ) -> [NodeIndex] {
        directPathWithCopath(of: leaf).filter { !resolutionIsEmpty($0.copathChild) }.map(\.parent)
    }

    /// The lowest node that lies on the direct paths (or is) of both `a` and `b`.
    public func commonAncestor(_ a: NodeIndex, _ b: NodeIndex) -> NodeIndex {
        var node = a
        while !node.subtreeContains(b), let parent = parent(of: node) { node = parent }
        return node
    }

    public var description: String { "TreeSize(\(leafCount) leaves)" }
}
