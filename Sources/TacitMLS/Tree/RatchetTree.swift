/// The public state of a group's ratchet tree in its array representation (RFC 9420, Section 7
/// and Appendix C).
///
/// ``nodes`` always holds a full tree: `2^(d+1) - 1` entries for `2^d` leaves, `nil` for blank
/// nodes, leaves at even and parents at odd indices. The encoding is the `ratchet_tree`
/// extension's `optional<Node> ratchet_tree<V>`, with trailing blank nodes trimmed on encode
/// and refused on decode (Section 12.4.3.3).
///
/// Private keys are not part of this value; see ``TreeKEMPrivateState``.
public struct RatchetTree: Hashable, Sendable {
    /// The largest number of leaves accepted, which bounds the memory a decoded tree can claim.
    public static let maximumLeafCount: UInt32 = 1 << 16

    /// Every node of the full tree; `nil` is a blank node.
    public private(set) var nodes: [Node?]

    /// A one-member tree holding `leaf` at leaf 0.
    public init(leaf: LeafNode) {
        nodes = [.leaf(leaf)]
    }

    /// Builds a tree from a node list in array order, padding it with blanks to a full tree.
    ///
    /// - Throws: ``RatchetTreeError`` if the list is empty, too large, or has a leaf at an odd
    ///   or a parent at an even index.
    public init(nodes list: [Node?]) throws(RatchetTreeError) {
        guard !list.isEmpty else { throw .empty }
        // The smallest full width 2^(d+1) - 1 that holds every entry.
        var leafCount: UInt64 = 1
        while 2 * leafCount - 1 < UInt64(list.count) { leafCount *= 2 }
        guard leafCount <= UInt64(Self.maximumLeafCount) else { throw .tooManyLeaves(leafCount) }
        for (index, node) in list.enumerated() {
            guard let node else { continue }
            let isLeafPosition = index % 2 == 0
            if case .leaf = node, isLeafPosition { continue }
            if case .parent = node, !isLeafPosition { continue }
            throw .nodeTypeMismatch(NodeIndex(UInt32(index)))
        }
        nodes = list + Array(repeating: nil, count: Int(2 * leafCount - 1) - list.count)
    }

    /// The shape of the tree.
    public var size: TreeSize { TreeSize(leafCount: leafCount) }

    /// The number of leaves, a power of two.
    public var leafCount: UInt32 { UInt32((nodes.count + 1) / 2) }

    /// The root node index.
    public var root: NodeIndex { size.root }

    /// The node at `index`, or `nil` if it is blank or outside the tree.
    public subscript(index: NodeIndex) -> Node? {
        guard Int(index.rawValue) < nodes.count else { return nil }
        return nodes[Int(index.rawValue)]
    }

    /// The leaf node at `leaf`, or `nil` if blank or outside the tree.
    public func leafNode(at leaf: LeafIndex) -> LeafNode? {
        guard leaf.rawValue < leafCount else { return nil }
        return self[leaf.nodeIndex]?.leafNode
    }

    /// The parent node at `index`, or `nil` if blank, a leaf position or outside the tree.
    public func parentNode(at index: NodeIndex) -> ParentNode? {
        self[index]?.parentNode
    }

    /// Whether the node at `index` is blank (positions outside the tree count as blank).
    public func isBlank(_ index: NodeIndex) -> Bool { self[index] == nil }

    /// The indices of the non-blank leaves, left to right.
    public var occupiedLeaves: [LeafIndex] {
        (0..<leafCount).map(LeafIndex.init(_:)).filter { leafNode(at: $0) != nil }
    }

    /// Sets a node, checking that it matches the position's kind.
    mutating func setNode(_ node: Node?, at index: NodeIndex) throws(RatchetTreeError) {
        guard Int(index.rawValue) < nodes.count else { throw .indexOutOfRange(index) }
        switch node {
        case .leaf where !index.isLeaf, .parent where index.isLeaf:
            throw .nodeTypeMismatch(index)
        default:
            nodes[Int(index.rawValue)] = node
        }
    }

    /// Doubles the number of leaves: the old tree becomes the left subtree of a new blank root.
    mutating func extend() throws(RatchetTreeError) {
        let newLeafCount = UInt64(leafCount) * 2
        guard newLeafCount <= UInt64(Self.maximumLeafCount) else { throw .tooManyLeaves(newLeafCount) }
        nodes += Array(repeating: nil, count: nodes.count + 1)
    }

    /// Halves the tree while its right half holds no member (Section 7.7), keeping one leaf at least.
    mutating func truncate() {
        while leafCount > 1 {
            let half = leafCount / 2
            let rightHalfEmpty = (half..<leafCount).allSatisfy { leafNode(at: LeafIndex($0)) == nil }
            guard rightHalfEmpty else { return }
            nodes.removeLast(nodes.count - (nodes.count - 1) / 2)
        }
    }
}

extension RatchetTree: MLSCodable {
    public func encode(to encoder: inout MLSEncoder) {
        let last = nodes.lastIndex { $0 != nil } ?? 0
        encoder.writeVector { inner in
            for node in nodes[...last] { inner.writeOptional(node) }
        }
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        let list = try decoder.readVector { inner in
            var list: [Node?] = []
            while !inner.isAtEnd {
                list.append(try inner.readOptional(Node.self))
                // Refuse huge blank runs before they are materialized.
                if list.count > 2 * Int(Self.maximumLeafCount) - 1 {
                    throw RatchetTreeError.tooManyLeaves(UInt64(list.count + 1) / 2)
                }
            }
            return list
        }
        guard let lastNode = list.last else { throw RatchetTreeError.empty }
        guard lastNode != nil else { throw RatchetTreeError.trailingBlankNode }
        try self.init(nodes: list)
    }
}
