/// The tree hash of every node of one ratchet tree (RFC 9420, Section 7.8), kept so that after
/// a Commit only the subtrees that changed are hashed again (a Commit changes the direct paths
/// of a few leaves; rehashing a 128-member tree from scratch costs far more than the rest of
/// processing an Add).
///
/// A node's hash depends only on the nodes of its subtree, which sit at the same indices in
/// any tree that contains them, so a hash is reused when every node of its subtree is equal.
struct TreeHashCache: Sendable {
    /// The tree the hashes belong to.
    let tree: RatchetTree
    private var hashes: [[UInt8]]

    /// Hashes every node of `tree`.
    init(tree: RatchetTree, suite: any CipherSuite) {
        self.tree = tree
        hashes = Array(repeating: [], count: tree.nodes.count)
        _ = fill(tree.root, previous: nil, suite: suite)
    }

    private init(uncomputed tree: RatchetTree) {
        self.tree = tree
        hashes = Array(repeating: [], count: tree.nodes.count)
    }

    /// The root's tree hash, as `GroupContext.tree_hash` carries it.
    var rootHash: [UInt8] { hashes[Int(tree.root.rawValue)] }

    /// The tree hash of `node`'s subtree, or `nil` for a node outside the tree.
    func hash(of node: NodeIndex) -> [UInt8]? {
        Int(node.rawValue) < hashes.count ? hashes[Int(node.rawValue)] : nil
    }

    /// The hashes of `newTree`, reusing this cache's hashes of unchanged subtrees.
    func updated(to newTree: RatchetTree, suite: any CipherSuite) -> TreeHashCache {
        var next = TreeHashCache(uncomputed: newTree)
        _ = next.fill(newTree.root, previous: self, suite: suite)
        return next
    }

    /// Sets the hash of `node` and its descendants; returns whether the subtree differs from `previous`'s.
    private mutating func fill(_ node: NodeIndex, previous: TreeHashCache?, suite: any CipherSuite) -> Bool {
        let position = Int(node.rawValue)
        var changed = true
        if let previous, position < previous.tree.nodes.count, previous.tree.nodes[position] == tree.nodes[position] {
            changed = false
        }
        if let left = node.left, let right = node.right {
            let leftChanged = fill(left, previous: previous, suite: suite)
            let rightChanged = fill(right, previous: previous, suite: suite)
            changed = changed || leftChanged || rightChanged
        }
        if !changed, let previous {
            hashes[position] = previous.hashes[position]
            return false
        }
        var input = MLSEncoder()
        if let leaf = node.leafIndex {
            // struct { uint32 leaf_index; optional<LeafNode> leaf_node; } LeafNodeHashInput;
            input.write(UInt8(1))
            input.write(leaf)
            input.writeOptional(tree.nodes[position]?.leafNode)
        } else if let left = node.left, let right = node.right {
            // struct { optional<ParentNode> parent_node; opaque left_hash<V>; opaque right_hash<V>; }
            input.write(UInt8(2))
            input.writeOptional(tree.nodes[position]?.parentNode)
            input.writeOpaque(hashes[Int(left.rawValue)])
            input.writeOpaque(hashes[Int(right.rawValue)])
        }
        hashes[position] = suite.hash(input.bytes)
        return true
    }
}
