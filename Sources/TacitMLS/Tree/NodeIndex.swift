/// The position of a node in the array representation of a ratchet tree (RFC 9420, Appendix C).
///
/// Leaves sit at even indices and parents at odd ones. The relations that do not depend on
/// the size of the tree (level, children) live here; the others are on ``TreeSize``.
public struct NodeIndex: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    /// Creates a value from its fields.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Creates a node index from a plain integer.
    public init(_ value: UInt32) { rawValue = value }

    /// Whether this node is a leaf (even index).
    public var isLeaf: Bool { rawValue & 1 == 0 }

    /// The leaf index of this node, or `nil` for a parent node.
    public var leafIndex: LeafIndex? { isLeaf ? LeafIndex(rawValue: rawValue / 2) : nil }

    /// The height of the node above the leaves: leaves are level 0, their parents level 1.
    ///
    /// Equal to the number of trailing one bits of the index.
    public var level: Int { (~rawValue).trailingZeroBitCount }

    /// The left child, or `nil` for a leaf.
    public var left: NodeIndex? {
        let k = level
        guard k > 0 else { return nil }
        return NodeIndex(rawValue: rawValue ^ (1 << UInt32(k - 1)))
    }

    /// The right child, or `nil` for a leaf.
    public var right: NodeIndex? {
        let k = level
        guard k > 0 else { return nil }
        return NodeIndex(rawValue: rawValue ^ (3 << UInt32(k - 1)))
    }

    /// Whether `other` is this node or lies in the subtree below it.
    public func subtreeContains(_ other: NodeIndex) -> Bool {
        // The subtree of a level-k node spans indices [x - (2^k - 1), x + (2^k - 1)].
        let span = (UInt64(1) << UInt64(level)) - 1
        let x = UInt64(rawValue), y = UInt64(other.rawValue)
        return y + span >= x && y <= x + span
    }

    public static func < (lhs: NodeIndex, rhs: NodeIndex) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "node \(rawValue)" }
}
