extension RatchetTree {
    /// Verifies the integrity of a tree received when joining (Section 12.4.3.1, "Verify the
    /// integrity of the ratchet tree"), throwing the first problem found:
    ///
    /// - the root tree hash equals `expectedTreeHash`, when given;
    /// - every `unmerged_leaves` list is sorted, names non-blank leaves below the node, and is
    ///   repeated by the non-blank nodes in between;
    /// - no HPKE encryption key and no signature key appears twice;
    /// - every non-blank parent node is parent-hash valid;
    /// - every leaf passes ``LeafNode/validate(suite:group:expectedSource:requiredCapabilities:currentTime:)``
    ///   with `groupID` and its own index as signature context, and every member supports every
    ///   credential type in use.
    public func validate(
        suite: any CipherSuite,
        groupID: [UInt8],
        expectedTreeHash: [UInt8]? = nil,
        requiredCapabilities: RequiredCapabilitiesExtension? = nil,
        currentTime: UInt64? = nil
    ) throws(RatchetTreeError) {
        if let expectedTreeHash, treeHash(suite: suite) != expectedTreeHash { throw .treeHashMismatch }
        // Cheap structural checks first, then hashing, then signatures.
        try validateUnmergedLeaves()
        try validateUniqueKeys()
        try verifyParentHashes(suite: suite)
        try validateLeaves(suite: suite, groupID: groupID, requiredCapabilities: requiredCapabilities,
                           currentTime: currentTime)
    }

    func validateLeaves(
        suite: any CipherSuite, groupID: [UInt8], requiredCapabilities: RequiredCapabilitiesExtension?,
        currentTime: UInt64?
    ) throws(RatchetTreeError) {
        let members = occupiedLeaves.compactMap { index in leafNode(at: index).map { (index, $0) } }
        let credentialTypesInUse = Set(members.map(\.1.credential.type))
        for (index, leaf) in members {
            do {
                try leaf.validate(suite: suite, group: LeafNodeGroupBinding(groupID: groupID, leafIndex: index),
                                  requiredCapabilities: requiredCapabilities, currentTime: currentTime)
            } catch .invalidSignature {
                throw .invalidLeafSignature(index)
            } catch {
                throw .invalidLeafNode(index, error)
            }
            for type in credentialTypesInUse where !leaf.capabilities.supports(type) {
                throw .invalidLeafNode(index, .credentialTypeNotInCapabilities(type))
            }
        }
    }

    func validateUnmergedLeaves() throws(RatchetTreeError) {
        for index in stride(from: 1, to: nodes.count, by: 2) {
            let node = NodeIndex(UInt32(index))
            guard let parent = parentNode(at: node) else { continue }
            let leaves = parent.unmergedLeaves
            guard zip(leaves, leaves.dropFirst()).allSatisfy({ $0 < $1 }) else { throw .unmergedLeavesNotSorted(node) }
            for leaf in leaves {
                guard leafNode(at: leaf) != nil, node.subtreeContains(leaf.nodeIndex) else {
                    throw .invalidUnmergedLeaf(parent: node, leaf: leaf)
                }
                for between in size.directPath(of: leaf.nodeIndex) {
                    if between == node { break }
                    if let intermediate = parentNode(at: between), !intermediate.unmergedLeaves.contains(leaf) {
                        throw .invalidUnmergedLeaf(parent: node, leaf: leaf)
                    }
                }
            }
        }
    }

    func validateUniqueKeys() throws(RatchetTreeError) {
        var encryptionKeys: [HPKEPublicKey: NodeIndex] = [:]
        var signatureKeys: [SignaturePublicKey: LeafIndex] = [:]
        for (position, node) in nodes.enumerated() {
            guard let node else { continue }
            let index = NodeIndex(UInt32(position))
            if let earlier = encryptionKeys.updateValue(index, forKey: node.encryptionKey) {
                throw .duplicateEncryptionKey(earlier, index)
            }
            if let leaf = node.leafNode, let leafIndex = index.leafIndex,
               let earlier = signatureKeys.updateValue(leafIndex, forKey: leaf.signatureKey) {
                throw .duplicateSignatureKey(earlier, leafIndex)
            }
        }
    }
}
