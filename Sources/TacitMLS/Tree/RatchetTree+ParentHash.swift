extension RatchetTree {
    /// The parent hash of the parent node `parent` with copath child `copathChild` (Section 7.9):
    /// `Hash(ParentHashInput)` with
    ///
    /// ```
    /// struct {
    ///     HPKEPublicKey encryption_key;
    ///     opaque parent_hash<V>;
    ///     opaque original_sibling_tree_hash<V>;
    /// } ParentHashInput;
    /// ```
    ///
    /// The original sibling tree hash leaves out `parent`'s unmerged leaves. Returns `nil` if
    /// `parent` is blank.
    public func parentHash(of parent: NodeIndex, copathChild: NodeIndex, suite: any CipherSuite) -> [UInt8]? {
        guard let node = parentNode(at: parent) else { return nil }
        let siblingHash = treeHash(of: copathChild, suite: suite, excluding: Set(node.unmergedLeaves))
        return Self.parentHash(encryptionKey: node.encryptionKey, parentHash: node.parentHash,
                               originalSiblingTreeHash: siblingHash, suite: suite)
    }

    static func parentHash(
        encryptionKey: HPKEPublicKey, parentHash: [UInt8], originalSiblingTreeHash: [UInt8], suite: any CipherSuite
    ) -> [UInt8] {
        var input = MLSEncoder()
        input.writeOpaque(encryptionKey)
        input.writeOpaque(parentHash)
        input.writeOpaque(originalSiblingTreeHash)
        return suite.hash(input.bytes)
    }

    /// Whether every non-blank parent node is parent-hash valid (Section 7.9.2), checked top
    /// down: each non-blank parent P must have exactly one descendant D such that D's
    /// `parent_hash` is P's parent hash with the other child as copath child, D is in the
    /// resolution of its side's child C, and P's unmerged leaves under C are exactly the rest
    /// of that resolution.
    public func verifyParentHashes(suite: any CipherSuite) throws(RatchetTreeError) {
        for index in stride(from: 1, to: nodes.count, by: 2) {
            let node = NodeIndex(UInt32(index))
            guard let parent = parentNode(at: node) else { continue }
            var links = 0
            for (child, sibling) in [(node.left, node.right), (node.right, node.left)] {
                guard let child, let sibling,
                      let expected = parentHash(of: node, copathChild: sibling, suite: suite) else { continue }
                let childResolution = resolution(of: child)
                let unmergedBelow = Set(parent.unmergedLeaves.map(\.nodeIndex).filter { child.subtreeContains($0) })
                for candidate in childResolution where self[candidate]?.parentHash == expected {
                    if Set(childResolution.filter { $0 != candidate }) == unmergedBelow { links += 1 }
                }
            }
            guard links == 1 else { throw .parentHashInvalid(node) }
        }
    }
}
