extension RatchetTree {
    /// The tree hash of the root (Section 7.8), as carried in `GroupContext.tree_hash`.
    public func treeHash(suite: any CipherSuite) -> [UInt8] {
        treeHash(of: root, suite: suite)
    }

    /// The tree hash of the subtree headed by `node`.
    ///
    /// - Parameter excluding: Leaves to hash as blank and drop from every `unmerged_leaves`
    ///   list, as the original sibling tree hash of a parent hash requires (Section 7.9).
    public func treeHash(of node: NodeIndex, suite: any CipherSuite, excluding: Set<LeafIndex> = []) -> [UInt8] {
        var hashes: [NodeIndex: [UInt8]] = [:]
        return treeHash(of: node, suite: suite, excluding: excluding, into: &hashes)
    }

    /// The tree hash of every node, indexed by node index.
    public func allTreeHashes(suite: any CipherSuite) -> [[UInt8]] {
        var hashes: [NodeIndex: [UInt8]] = [:]
        _ = treeHash(of: root, suite: suite, excluding: [], into: &hashes)
        return (0..<UInt32(nodes.count)).map { hashes[NodeIndex($0)] ?? [] }
    }

    private func treeHash(
        of node: NodeIndex, suite: any CipherSuite, excluding: Set<LeafIndex>, into hashes: inout [NodeIndex: [UInt8]]
    ) -> [UInt8] {
        var input = MLSEncoder()
        if let leaf = node.leafIndex {
            // struct { uint32 leaf_index; optional<LeafNode> leaf_node; } LeafNodeHashInput;
            input.write(UInt8(1))
            input.write(leaf)
            input.writeOptional(excluding.contains(leaf) ? nil : leafNode(at: leaf))
        } else {
            // struct { optional<ParentNode> parent_node; opaque left_hash<V>; opaque right_hash<V>; }
            var parent = parentNode(at: node)
            parent?.unmergedLeaves.removeAll { excluding.contains($0) }
            let left = node.left.map { treeHash(of: $0, suite: suite, excluding: excluding, into: &hashes) } ?? []
            let right = node.right.map { treeHash(of: $0, suite: suite, excluding: excluding, into: &hashes) } ?? []
            input.write(UInt8(2))
            input.writeOptional(parent)
            input.writeOpaque(left)
            input.writeOpaque(right)
        }
        let hash = suite.hash(input.bytes)
        hashes[node] = hash
        return hash
    }
}
