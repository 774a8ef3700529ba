extension ProposalValidation {
    /// Checks a Commit's proposal list (Section 12.2) and applies it in the order of Section
    /// 12.3: GroupContextExtensions, Updates, Removes, Adds, then PSKs, ExternalInit and ReInit.
    ///
    /// - Parameter committer: `.member` for a regular Commit, `.newMemberCommit` for an external one.
    func apply(_ list: [CommittedProposal], committer: Sender) throws -> AppliedProposals {
        try checkListRules(list, committer: committer)

        var result = AppliedProposals(tree: tree, extensions: groupContext.extensions, extensionsChanged: false,
                                      added: [], removed: [], updated: [], preSharedKeys: [],
                                      externalInit: nil, reInit: nil,
                                      requiresPath: list.isEmpty || list.contains { $0.proposal.type.requiresPath })

        for case .groupContextExtensions(let proposal) in list.map(\.proposal) {
            try validateExtensionList(proposal.extensions)
            result.extensions = proposal.extensions
            result.extensionsChanged = true
        }

        for entry in list {
            guard case .update(let update) = entry.proposal, case .member(let index) = entry.sender else { continue }
            try validateReplacementLeaf(update.leafNode, at: index, source: .update, in: result.tree,
                                        extensions: result.extensions)
            try result.tree.update(index, with: update.leafNode)
            result.updated.append(index)
        }

        for case .remove(let remove) in list.map(\.proposal) {
            guard let leaf = result.tree.leafNode(at: remove.removed) else {
                throw ProposalRuleViolation.removesBlankLeaf(remove.removed)
            }
            result.removed.append(GroupMember(index: remove.removed, leaf: leaf))
            try result.tree.remove(remove.removed)
        }

        var initKeys: Set<HPKEPublicKey> = []
        for case .add(let add) in list.map(\.proposal) {
            let package = add.keyPackage
            try validateKeyPackage(package, extensions: result.extensions)
            // The same client (signature key) as a member or an earlier Add of this list.
            guard !Self.hasLeaf(in: result.tree, where: { $0.signatureKey == package.leafNode.signatureKey }) else {
                throw ProposalRuleViolation.addsExistingClient
            }
            guard initKeys.insert(package.initKey).inserted else { throw ProposalRuleViolation.keyPackageReused }
            let index = try result.tree.add(package.leafNode)
            result.added.append((index, package))
        }

        for proposal in list.map(\.proposal) {
            switch proposal {
            case .preSharedKey(let psk):
                try validatePreSharedKey(psk.psk)
                result.preSharedKeys.append(psk.psk)
            case .externalInit(let externalInit):
                result.externalInit = externalInit
            case .reInit(let reInit):
                try validateReInit(reInit)
                result.reInit = reInit
            case .add, .update, .remove, .groupContextExtensions:
                break
            }
        }

        try checkMembers(of: result)
        return result
    }

    /// The rules of Section 12.2 that concern the list as a whole.
    private func checkListRules(_ list: [CommittedProposal], committer: Sender) throws {
        if case .newMemberCommit = committer {
            var externalInits = 0, removes = 0
            for entry in list {
                guard entry.reference == nil else { throw ProposalRuleViolation.externalCommitProposals }
                switch entry.proposal {
                case .externalInit: externalInits += 1
                case .remove: removes += 1
                case .preSharedKey: break
                default: throw ProposalRuleViolation.externalCommitProposals
                }
            }
            guard externalInits == 1 else { throw ProposalRuleViolation.externalInitMisplaced }
            guard removes <= 1 else { throw ProposalRuleViolation.externalCommitProposals }
        }
        let committerLeaf: LeafIndex? = if case .member(let index) = committer { index } else { nil }

        var changedLeaves: Set<LeafIndex> = []
        var psks: Set<PreSharedKeyID> = []
        var groupContextExtensions = 0
        for entry in list {
            switch entry.proposal {
            case .update:
                guard case .member(let sender) = entry.sender else { throw ProposalRuleViolation.updateByNonMember }
                guard sender != committerLeaf else { throw ProposalRuleViolation.updateByCommitter }
                guard changedLeaves.insert(sender).inserted else { throw ProposalRuleViolation.leafChangedTwice(sender) }
            case .remove(let remove):
                guard remove.removed != committerLeaf else { throw ProposalRuleViolation.removesCommitter }
                guard changedLeaves.insert(remove.removed).inserted else {
                    throw ProposalRuleViolation.leafChangedTwice(remove.removed)
                }
            case .preSharedKey(let psk):
                guard psks.insert(psk.psk).inserted else { throw ProposalRuleViolation.duplicatePreSharedKey }
            case .groupContextExtensions:
                groupContextExtensions += 1
                guard groupContextExtensions == 1 else { throw ProposalRuleViolation.multipleGroupContextExtensions }
            case .reInit:
                guard list.count == 1 else { throw ProposalRuleViolation.reInitNotAlone }
            case .externalInit:
                guard case .newMemberCommit = committer else { throw ProposalRuleViolation.externalInitMisplaced }
            case .add:
                break
            }
        }
    }

    /// The tree after the proposals must be valid (Section 12.2, last rule): every member
    /// supports the GroupContext extensions (checked for all members when they changed, else
    /// for the new and updated leaves, which were validated against them), every credential
    /// type in use is supported by every member, and no key appears twice.
    private func checkMembers(of result: AppliedProposals) throws {
        let tree = result.tree
        guard result.extensionsChanged || !result.added.isEmpty || !result.updated.isEmpty else { return }
        if result.extensionsChanged {
            let leaves = tree.occupiedLeaves.compactMap { tree.leafNode(at: $0) }
            let required = try result.extensions.payload(RequiredCapabilitiesExtension.self)
            for leaf in leaves {
                if let required, !leaf.capabilities.satisfies(required) {
                    throw ProposalRuleViolation.requiredCapabilitiesUnsupported
                }
                for ext in result.extensions where !leaf.capabilities.supports(ext.type) {
                    throw ProposalRuleViolation.groupContextExtensionUnsupported(ext.type)
                }
            }
        }
        if !result.added.isEmpty || !result.updated.isEmpty {
            try Self.checkCredentialTypes(in: tree)
            try Self.checkUniqueKeys(of: result.added.map(\.index) + result.updated, in: tree)
        }
    }

    /// Whether some leaf of `tree` satisfies `predicate`.
    static func hasLeaf(in tree: RatchetTree, where predicate: (LeafNode) -> Bool) -> Bool {
        stride(from: 0, to: tree.nodes.count, by: 2).contains { position in
            tree.nodes[position]?.leafNode.map(predicate) ?? false
        }
    }

    /// No other node shares an encryption key, and no other leaf a signature key, with the
    /// leaves at `changed` (Section 7.3). Direct comparisons beat hashing every key of the
    /// tree when few leaves changed; many changes use the tree's full check.
    static func checkUniqueKeys(of changed: [LeafIndex], in tree: RatchetTree) throws {
        guard changed.count <= 8 else { return try tree.validateUniqueKeys() }
        for index in changed {
            guard let leaf = tree.leafNode(at: index) else { continue }
            let own = Int(index.nodeIndex.rawValue)
            for (position, node) in tree.nodes.enumerated() where position != own {
                guard let node else { continue }
                if node.encryptionKey == leaf.encryptionKey {
                    throw RatchetTreeError.duplicateEncryptionKey(NodeIndex(UInt32(position)), index.nodeIndex)
                }
                if let other = node.leafNode, other.signatureKey == leaf.signatureKey {
                    throw RatchetTreeError.duplicateSignatureKey(LeafIndex(UInt32(position / 2)), index)
                }
            }
        }
    }

    /// ``checkCredentialTypes(of:)`` over the leaves of `tree`, read in place.
    static func checkCredentialTypes(in tree: RatchetTree) throws {
        var inUse: [CredentialType] = []
        for case .leaf(let leaf)? in tree.nodes where !inUse.contains(leaf.credential.type) {
            inUse.append(leaf.credential.type)
        }
        for case .leaf(let leaf)? in tree.nodes {
            for type in inUse where !leaf.capabilities.supports(type) {
                throw ProposalRuleViolation.credentialTypeUnsupported(type)
            }
        }
    }

    /// Every member supports the credential type of every member (Section 7.3).
    static func checkCredentialTypes(of leaves: [LeafNode]) throws {
        let inUse = Set(leaves.map(\.credential.type))
        for leaf in leaves {
            for type in inUse where !leaf.capabilities.supports(type) {
                throw ProposalRuleViolation.credentialTypeUnsupported(type)
            }
        }
    }
}
