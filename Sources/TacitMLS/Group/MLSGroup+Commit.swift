extension MLSGroup {
    /// Creates a Commit (Section 12.4.1) covering the stored proposals (by reference, if
    /// ``CommitOptions/includePendingProposals``) and `proposals` (by value), with a Welcome for
    /// added members.
    ///
    /// The group does not change epoch yet: the Commit is held as pending until
    /// ``mergePendingCommit()`` (after the delivery service accepted it) or
    /// ``discardPendingCommit()``. If the Commit is sent as a PrivateMessage, this member's
    /// handshake ratchet advances now.
    public mutating func commit(proposals: [Proposal] = [], options: CommitOptions = CommitOptions()) throws(MLSGroupError) -> CommitBundle {
        try withGroupErrors { try createCommit(inline: proposals, options: options) }
    }

    /// Creates a Commit that adds the owners of `keyPackages` and removes the members at
    /// `removing`, by value, together with the stored proposals.
    public mutating func commit(adding keyPackages: [KeyPackage], removing: [LeafIndex] = [],
                                options: CommitOptions = CommitOptions()) throws(MLSGroupError) -> CommitBundle {
        let proposals = removing.map { Proposal.remove(RemoveProposal(removed: $0)) }
            + keyPackages.map { Proposal.add(AddProposal(keyPackage: $0)) }
        return try commit(proposals: proposals, options: options)
    }

    /// Moves the group into the epoch of its pending Commit.
    @discardableResult
    public mutating func mergePendingCommit() throws(MLSGroupError) -> CommitChanges {
        guard let pending = pendingCommit else { throw .noPendingCommit }
        merge(pending.staged)
        return pending.staged.changes
    }

    /// Drops the pending Commit (another Commit won the epoch, or it was not sent).
    public mutating func discardPendingCommit() {
        pendingCommit = nil
    }

    /// Creates a Commit; `reInitPSK` is only given for a reinitialized group's first Commit,
    /// whose PSK proposal names it (Section 11.2).
    mutating func createCommit(inline: [Proposal], options: CommitOptions, reInitPSK: PreSharedKey? = nil) throws -> CommitBundle {
        try requireActive()
        var validation = self.validation
        validation.permittedReInitPSK = reInitPSK?.id
        guard pendingCommit == nil else { throw MLSGroupError.pendingCommitExists }
        let me = ownLeafIndex
        guard var leaf = ownLeafNode else { throw MLSGroupError.notAMember(me) }
        let inlineEntries = inline.map { CommittedProposal(proposal: $0, sender: .member(me), reference: nil) }
        let selection: (chosen: [CommittedProposal], applied: AppliedProposals?) =
            options.includePendingProposals ? try selectPendingProposals(adding: inlineEntries) : ([], nil)
        let list = selection.chosen + inlineEntries
        // Validating a list verifies every KeyPackage's signatures; the selection's check is reused.
        let applied = try selection.applied ?? validation.apply(list, committer: .member(me))

        var tree = applied.tree
        var provisional = GroupContext(version: current.groupContext.version, cipherSuite: cipherSuite, groupID: groupID,
                                       epoch: try Self.epoch(after: epoch), treeHash: [],
                                       confirmedTranscriptHash: current.groupContext.confirmedTranscriptHash,
                                       extensions: applied.extensions)
        var privateTree = current.privateTree
        var path: UpdatePath?
        var commitSecret: [UInt8]?
        var pathSecrets: [NodeIndex: [UInt8]] = [:]
        if applied.requiresPath || options.pathPolicy == .always {
            if let capabilities = options.leafCapabilities { leaf.capabilities = capabilities }
            if let extensions = options.leafExtensions { leaf.extensions = extensions }
            if options.leafCapabilities != nil || options.leafExtensions != nil || applied.extensionsChanged {
                try validation.validateGroupParameters(leaf, extensions: applied.extensions)
                if let required = try applied.extensions.payload(RequiredCapabilitiesExtension.self),
                   !leaf.capabilities.satisfies(required) {
                    throw ProposalRuleViolation.requiredCapabilitiesUnsupported
                }
            }
            let proposalHashes = current.treeHashes.updated(to: tree, suite: suite)
            let suite = self.suite
            let creation = try tree.createUpdatePath(suite: suite, sender: me, leafNode: leaf,
                                                     signingKey: signingKey,
                                                     provisionalContext: provisional, excluding: applied.addedLeaves,
                                                     knownTreeHashes: proposalHashes.hash(of:),
                                                     rootTreeHash: { proposalHashes.updated(to: $0, suite: suite).rootHash })
            path = creation.updatePath
            commitSecret = creation.commitSecret
            privateTree = creation.privateState
            pathSecrets = creation.pathSecrets
            provisional = creation.provisionalContext
        } else {
            privateTree.prune(to: tree)
        }
        let treeHashes = current.treeHashes.updated(to: tree, suite: suite)
        if path == nil { provisional.treeHash = treeHashes.rootHash }
        let pskSecret = try pskSecret(for: applied.preSharedKeys, known: reInitPSK)

        // Sign with the old context, then confirm with the new epoch's key (Section 12.4.1).
        let commit = Commit(proposals: list.map(\.proposalOrRef), path: path)
        var content = try sign(.commit(commit), wireFormat: configuration.handshakeWireFormat,
                               authenticatedData: options.authenticatedData)
        var newContext = provisional
        newContext.confirmedTranscriptHash = try TranscriptHash.confirmed(
            suite: suite, interimTranscriptHash: current.interimTranscriptHash, commit: content)
        let derived = try DerivedEpoch.derive(suite: suite, initSecret: current.keys.initSecret, commitSecret: commitSecret,
                                              pskSecret: pskSecret, groupContext: newContext, treeHashes: treeHashes,
                                              privateTree: privateTree, receivedConfirmationTag: nil,
                                              configuration: configuration)
        content.auth.confirmationTag = derived.state.confirmationTag

        let changes = CommitChanges(
            epoch: newContext.epoch, committer: .member(me),
            added: applied.added.map { GroupMember(index: $0.index, leaf: $0.keyPackage.leafNode) },
            removed: applied.removed,
            updated: applied.updated.compactMap { index in tree.leafNode(at: index).map { GroupMember(index: index, leaf: $0) } },
            preSharedKeys: applied.preSharedKeys,
            groupContextExtensions: applied.extensionsChanged ? applied.extensions : nil,
            reInit: applied.reInit)
        let groupInfo = try options.groupInfo.map { try makeGroupInfo(for: derived.state, options: $0) }
        // A published GroupInfo that carries the tree exactly when the Welcome's should is
        // reused there: one signature and one tree encoding fewer (its other extensions, such as
        // `external_pub`, are public and harmless to a joiner).
        let welcomeInfo = groupInfo.flatMap { info in
            options.groupInfo?.includeRatchetTree == options.ratchetTreeInWelcome ? info : nil
        }
        let welcome = applied.added.isEmpty ? nil : try makeWelcome(
            for: derived, added: applied.added, pathSecrets: pathSecrets, preSharedKeys: applied.preSharedKeys,
            includeRatchetTree: options.ratchetTreeInWelcome, groupInfo: welcomeInfo)

        // Nothing below can fail after the ratchet moved, so the group is either fully updated or unchanged.
        let message = try protect(content)
        pendingCommit = PendingCommit(message: message, content: content,
                                      staged: StagedCommit(next: derived.state, changes: changes))
        return CommitBundle(commit: message, welcome: welcome.map { MLSMessage(.welcome($0)) },
                            groupInfo: groupInfo.map { MLSMessage(.groupInfo($0)) }, changes: changes)
    }

    /// The stored proposals this member can commit together with `inline` ones (Section 12.2):
    /// Removes first (a Remove wins over Updates of the same leaf), then the latest Update of
    /// each other member, then Adds, PSKs, one GroupContextExtensions and, alone, a ReInit.
    /// Proposals that cannot be committed (removing this member, or conflicting) are left out.
    ///
    /// Returns the chosen proposals and, when it was computed on the way, `chosen + inline` applied.
    private func selectPendingProposals(adding inline: [CommittedProposal]) throws
        -> (chosen: [CommittedProposal], applied: AppliedProposals?) {
        let me = ownLeafIndex
        var changedLeaves = Set(inline.compactMap { entry -> LeafIndex? in
            if case .remove(let remove) = entry.proposal { return remove.removed }
            return nil
        })
        var chosen: [CommittedProposal] = []
        func entry(_ pending: PendingProposal) -> CommittedProposal {
            CommittedProposal(proposal: pending.proposal, sender: pending.sender, reference: pending.reference)
        }
        for pending in pendingProposals {
            guard case .remove(let remove) = pending.proposal, remove.removed != me,
                  current.tree.leafNode(at: remove.removed) != nil, changedLeaves.insert(remove.removed).inserted else { continue }
            chosen.append(entry(pending))
        }
        var latestUpdate: [LeafIndex: PendingProposal] = [:]
        for pending in pendingProposals {
            guard case .update = pending.proposal, case .member(let sender) = pending.sender, sender != me,
                  !changedLeaves.contains(sender) else { continue }
            latestUpdate[sender] = pending
        }
        var psks = Set(inline.compactMap { entry -> PreSharedKeyID? in
            if case .preSharedKey(let psk) = entry.proposal { return psk.psk }
            return nil
        })
        var hasGroupContextExtensions = inline.contains { $0.proposal.type == .groupContextExtensions }
        for pending in pendingProposals {
            switch pending.proposal {
            case .update:
                if case .member(let sender) = pending.sender, latestUpdate[sender]?.reference == pending.reference {
                    chosen.append(entry(pending))
                }
            case .add:
                chosen.append(entry(pending))
            case .preSharedKey(let psk):
                if psks.insert(psk.psk).inserted { chosen.append(entry(pending)) }
            case .groupContextExtensions:
                if !hasGroupContextExtensions {
                    hasGroupContextExtensions = true
                    chosen.append(entry(pending))
                }
            case .remove, .reInit, .externalInit:
                break
            }
        }
        if chosen.isEmpty, inline.isEmpty,
           let reInit = pendingProposals.first(where: { $0.proposal.type == .reinit }) {
            chosen.append(entry(reInit))
        }
        // Should a combination still be invalid (say an Add that lacks a newly required
        // capability), fall back to adding proposals one at a time and keeping those that fit.
        if chosen.isEmpty { return ([], nil) }
        if let applied = try? validation.apply(chosen + inline, committer: .member(me)) { return (chosen, applied) }
        var fitting: [CommittedProposal] = []
        for candidate in chosen where (try? validation.apply(fitting + [candidate] + inline, committer: .member(me))) != nil {
            fitting.append(candidate)
        }
        return (fitting, nil)
    }
}
