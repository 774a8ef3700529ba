extension RatchetTree {
    /// Merges a received UpdatePath into the tree (Section 7.5, "merges UpdatePath into the tree"):
    /// checks its shape and keys, blanks the sender's direct path, installs the new parent keys
    /// with empty unmerged lists and recomputed parent hashes, checks the leaf's parent hash and
    /// installs the new leaf.
    ///
    /// The leaf node's signature and other Section 7.3 checks are left to the caller, which
    /// knows the group's requirements (see ``LeafNode/validate(suite:group:expectedSource:requiredCapabilities:currentTime:)``).
    /// On error the tree is unchanged.
    ///
    /// - Parameter knownTreeHashes: Tree hashes of this tree's nodes the caller already holds
    ///   (`nil` when unknown); the path leaves the copath subtrees unchanged, so their parent
    ///   hash inputs need not be hashed again.
    public mutating func merge(_ updatePath: UpdatePath, from sender: LeafIndex, suite: any CipherSuite,
                               knownTreeHashes: ((NodeIndex) -> [UInt8]?)? = nil) throws(TreeKEMError) {
        guard leafNode(at: sender) != nil else { throw .blankSender(sender) }
        guard case .commit(let leafParentHash) = updatePath.leafNode.source else { throw .leafSourceNotCommit }
        let path = filteredDirectPathWithCopath(of: sender)
        guard path.count == updatePath.nodes.count else {
            throw .pathLengthMismatch(expected: path.count, found: updatePath.nodes.count)
        }
        let newKeys = [updatePath.leafNode.encryptionKey] + updatePath.nodes.map(\.encryptionKey)
        let existingKeys = Set(nodes.compactMap { $0?.encryptionKey })
        guard Set(newKeys).count == newKeys.count, existingKeys.isDisjoint(with: newKeys) else {
            throw .duplicateEncryptionKey
        }

        var updated = self
        do {
            try updated.blankDirectPath(of: sender)
            for ((node, _), pathNode) in zip(path, updatePath.nodes) {
                try updated.setNode(.parent(ParentNode(encryptionKey: pathNode.encryptionKey)), at: node)
            }
        } catch { throw .tree(error) }
        let expectedLeafParentHash = try updated.setParentHashes(along: path, suite: suite, knownTreeHashes: knownTreeHashes)
        guard expectedLeafParentHash == leafParentHash else { throw .parentHashMismatch }
        do { try updated.setNode(.leaf(updatePath.leafNode), at: sender.nodeIndex) } catch { throw .tree(error) }
        self = updated
    }
}
