extension MLSGroup {
    /// Validates a received, authenticated Commit completely and derives the epoch it starts
    /// (Section 12.4.2), without changing the group.
    func stage(_ commit: Commit, content: AuthenticatedContent) throws -> StagedCommit {
        let committer = content.content.sender
        switch committer {
        case .member(let index) where index == ownLeafIndex:
            // A member cannot process its own Commit; it merges the pending copy instead.
            guard let pending = pendingCommit, pending.content == content else { throw MLSGroupError.ownCommitNotPending }
            return pending.staged
        case .member, .newMemberCommit:
            break
        default:
            throw MLSGroupError.senderNotAllowed(committer)
        }

        let list = try commit.proposals.map { item -> CommittedProposal in
            switch item {
            case .proposal(let proposal):
                return CommittedProposal(proposal: proposal, sender: committer, reference: nil)
            case .reference(let reference):
                guard let stored = pendingProposals.first(where: { $0.reference == reference }) else {
                    throw MLSGroupError.unknownProposalReference(reference)
                }
                return CommittedProposal(proposal: stored.proposal, sender: stored.sender, reference: reference)
            }
        }
        let validation = self.validation
        let nextEpoch = try Self.epoch(after: epoch)
        let applied = try validation.apply(list, committer: committer)
        if applied.requiresPath, commit.path == nil { throw MLSGroupError.pathRequired }

        let me = ownLeafIndex
        var changes = CommitChanges(
            epoch: nextEpoch, committer: committer,
            added: applied.added.map { GroupMember(index: $0.index, leaf: $0.keyPackage.leafNode) },
            removed: applied.removed, updated: [], preSharedKeys: applied.preSharedKeys,
            groupContextExtensions: applied.extensionsChanged ? applied.extensions : nil, reInit: applied.reInit)
        if applied.removed.contains(where: { $0.index == me }) {
            // Removed members cannot derive the new epoch; the Commit is as checked as it can be.
            changes.removedSelf = true
            return StagedCommit(next: nil, changes: changes)
        }

        var tree = applied.tree
        var privateTree = current.privateTree
        if applied.updated.contains(me) { try adoptOwnUpdate(in: tree, privateTree: &privateTree) }
        var provisional = GroupContext(version: current.groupContext.version, cipherSuite: cipherSuite, groupID: groupID,
                                       epoch: nextEpoch, treeHash: [],
                                       confirmedTranscriptHash: current.groupContext.confirmedTranscriptHash,
                                       extensions: applied.extensions)
        var commitSecret: [UInt8]?
        var treeHashes = current.treeHashes
        if let path = commit.path {
            // Where the committer sits, and the credential its new leaf replaces (Section 12.4.2).
            let senderLeaf: LeafIndex
            let replaced: Credential?
            switch committer {
            case .member(let index):
                senderLeaf = index
                replaced = tree.leafNode(at: index)?.credential
            default:
                // The joiner takes the leftmost blank leaf; a placeholder without a key holds it
                // until the path is merged (its key must not count as already in the tree).
                var placeholder = path.leafNode
                placeholder.encryptionKey = []
                senderLeaf = try tree.add(placeholder)
                replaced = applied.removed.first?.credential
                changes.added.append(GroupMember(index: senderLeaf, leaf: path.leafNode))
            }
            try validation.validateNewLeaf(path.leafNode, at: senderLeaf, source: .commit, extensions: applied.extensions)
            if let replaced, !configuration.credentialValidator.isValidReplacement(of: replaced, by: path.leafNode.credential) {
                throw MLSGroupError.credentialRejected(path.leafNode.credential)
            }
            let beforePath = tree
            let beforePathHashes = current.treeHashes.updated(to: beforePath, suite: suite)
            try tree.merge(path, from: senderLeaf, suite: suite, knownTreeHashes: beforePathHashes.hash(of:))
            try Self.checkPathLeaf(path.leafNode, at: senderLeaf, in: tree)
            treeHashes = beforePathHashes.updated(to: tree, suite: suite)
            provisional.treeHash = treeHashes.rootHash
            let decryption = try privateTree.decrypt(path, from: senderLeaf, tree: beforePath, mergedTree: tree,
                                                     provisionalContext: provisional, suite: suite,
                                                     excluding: applied.addedLeaves)
            commitSecret = decryption.commitSecret
        } else {
            treeHashes = current.treeHashes.updated(to: tree, suite: suite)
            provisional.treeHash = treeHashes.rootHash
            privateTree.prune(to: tree)
        }
        changes.updated = applied.updated.compactMap { index in tree.leafNode(at: index).map { GroupMember(index: index, leaf: $0) } }

        var newContext = provisional
        newContext.confirmedTranscriptHash = try TranscriptHash.confirmed(
            suite: suite, interimTranscriptHash: current.interimTranscriptHash, commit: content)
        let initSecret = try applied.externalInit.map { externalInit in
            try ExternalInit.receive(suite: suite, externalPrivateKey: current.keys.externalKeyPair(suite: suite).privateKey,
                                     kemOutput: externalInit.kemOutput)
        } ?? current.keys.initSecret
        guard let tag = content.auth.confirmationTag else { throw MLSGroupError.invalidConfirmationTag }
        let derived = try DerivedEpoch.derive(suite: suite, initSecret: initSecret, commitSecret: commitSecret,
                                              pskSecret: try pskSecret(for: applied.preSharedKeys), groupContext: newContext,
                                              treeHashes: treeHashes, privateTree: privateTree, receivedConfirmationTag: tag,
                                              configuration: configuration)
        return StagedCommit(next: derived.state, changes: changes)
    }

    /// Installs the private key of this member's own Update, which the Commit applied.
    private func adoptOwnUpdate(in tree: RatchetTree, privateTree: inout TreeKEMPrivateState) throws {
        guard let leaf = tree.leafNode(at: ownLeafIndex),
              let keyPair = pendingProposals.lazy.compactMap(\.ownLeafKeyPair).first(where: { $0.publicKey == leaf.encryptionKey })
        else { throw MLSGroupError.ownLeafNotFound }
        privateTree.setKeyPair(keyPair, for: ownLeafIndex.nodeIndex)
    }

    /// The committer's new leaf keeps the tree valid: a signature key no other member has, and
    /// credential types every member supports (Section 7.3).
    private static func checkPathLeaf(_ leaf: LeafNode, at index: LeafIndex, in tree: RatchetTree) throws {
        var leaves: [LeafNode] = []
        for other in tree.occupiedLeaves {
            guard let node = tree.leafNode(at: other) else { continue }
            if other != index, node.signatureKey == leaf.signatureKey {
                throw RatchetTreeError.duplicateSignatureKey(other, index)
            }
            leaves.append(node)
        }
        try ProposalValidation.checkCredentialTypes(of: leaves)
    }
}
