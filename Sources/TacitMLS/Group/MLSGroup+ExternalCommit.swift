/// The result of joining by external Commit: the joiner's group, already in the new epoch, and
/// the Commit to send. If the delivery service rejects the Commit, discard the group.
public struct ExternalJoin: Sendable {
    /// The joiner's group state in the epoch the Commit starts.
    public var group: MLSGroup
    /// The external Commit, a PublicMessage, for the group's members.
    public var commit: MLSMessage
    /// The GroupInfo of the new epoch, if requested.
    public var groupInfo: MLSMessage?
}

extension MLSGroup {
    /// Joins a group by external Commit (RFC 9420, Section 12.4.3.2) from a GroupInfo that
    /// carries `external_pub`.
    ///
    /// - Parameters:
    ///   - ratchetTree: The group's tree, when the GroupInfo does not carry it.
    ///   - removing: This client's old leaf, to replace it ("resync").
    ///   - preSharedKeys: PSKs to inject, looked up in the configuration's PSK store.
    ///   - options: ``CommitOptions/authenticatedData``, ``CommitOptions/leafCapabilities``,
    ///     ``CommitOptions/leafExtensions`` and ``CommitOptions/groupInfo`` apply.
    public static func joinByExternalCommit(
        groupInfo info: GroupInfo, ratchetTree: RatchetTree? = nil, identity: MLSSigningIdentity,
        removing oldLeaf: LeafIndex? = nil, preSharedKeys: [PreSharedKeyID] = [],
        options: CommitOptions = CommitOptions(), configuration: MLSGroupConfiguration = MLSGroupConfiguration()
    ) throws(MLSGroupError) -> ExternalJoin {
        try withGroupErrors {
            let context = info.groupContext
            let suite = try context.cipherSuite.suite()
            let verified = try verifiedTree(of: info, given: ratchetTree, suite: suite, configuration: configuration)
            let tree = verified.tree
            guard let externalPub = try info.extensions.payload(ExternalPubExtension.self) else {
                throw MLSGroupError.missingExternalPub
            }
            let (kemOutput, initSecret) = try ExternalInit.create(suite: suite, externalPublicKey: externalPub.externalPub)

            var proposals: [Proposal] = [.externalInit(ExternalInitProposal(kemOutput: kemOutput))]
            if let oldLeaf { proposals.append(.remove(RemoveProposal(removed: oldLeaf))) }
            proposals += preSharedKeys.map { .preSharedKey(PreSharedKeyProposal(psk: $0)) }
            let list = proposals.map { CommittedProposal(proposal: $0, sender: .newMemberCommit, reference: nil) }
            let validation = ProposalValidation(suite: suite, groupContext: context, tree: tree, configuration: configuration)
            let applied = try validation.apply(list, committer: .newMemberCommit)

            // The joiner takes the leftmost blank leaf, then refreshes its whole path.
            var newTree = applied.tree
            var leaf = LeafNode(encryptionKey: suite.generateHPKEKeyPair().publicKey,
                                signatureKey: identity.signatureKeyPair.publicKey, credential: identity.credential,
                                capabilities: options.leafCapabilities ?? .tacitDefault(credentialType: identity.credential.type),
                                source: .update, extensions: options.leafExtensions ?? [])
            try validation.validateGroupParameters(leaf, extensions: applied.extensions)
            if let required = try applied.extensions.payload(RequiredCapabilitiesExtension.self),
               !leaf.capabilities.satisfies(required) {
                throw ProposalRuleViolation.requiredCapabilitiesUnsupported
            }
            let index = try newTree.add(leaf)
            leaf = newTree.leafNode(at: index) ?? leaf
            let provisional = GroupContext(version: context.version, cipherSuite: context.cipherSuite, groupID: context.groupID,
                                           epoch: try Self.epoch(after: context.epoch), treeHash: [],
                                           confirmedTranscriptHash: context.confirmedTranscriptHash,
                                           extensions: applied.extensions)
            let beforePathHashes = verified.updated(to: newTree, suite: suite)
            let signingKey = try suite.preparedSigningKey(privateKey: identity.signatureKeyPair.privateKey)
            let creation = try newTree.createUpdatePath(suite: suite, sender: index, leafNode: leaf,
                                                        signingKey: signingKey,
                                                        provisionalContext: provisional,
                                                        knownTreeHashes: beforePathHashes.hash(of:),
                                                        rootTreeHash: { beforePathHashes.updated(to: $0, suite: suite).rootHash })
            let pskSecret = try pskSecret(for: applied.preSharedKeys, suite: suite, store: configuration.preSharedKeys)

            let commit = Commit(proposals: list.map(\.proposalOrRef), path: creation.updatePath)
            let framed = FramedContent(groupID: context.groupID, epoch: context.epoch, sender: .newMemberCommit,
                                       authenticatedData: options.authenticatedData, body: .commit(commit))
            var content = try AuthenticatedContent.sign(wireFormat: .publicMessage, content: framed, suite: suite,
                                                        signingKey: signingKey, groupContext: context)
            let interim = TranscriptHash.interim(suite: suite, confirmedTranscriptHash: context.confirmedTranscriptHash,
                                                 confirmationTag: info.confirmationTag)
            var newContext = creation.provisionalContext
            newContext.confirmedTranscriptHash = try TranscriptHash.confirmed(suite: suite, interimTranscriptHash: interim,
                                                                              commit: content)
            let epoch = try DerivedEpoch.derive(suite: suite, initSecret: initSecret, commitSecret: creation.commitSecret,
                                                pskSecret: pskSecret, groupContext: newContext,
                                                treeHashes: beforePathHashes.updated(to: newTree, suite: suite),
                                                privateTree: creation.privateState, receivedConfirmationTag: nil,
                                                configuration: configuration)
            content.auth.confirmationTag = epoch.state.confirmationTag
            let message = try PublicMessage.protect(content, suite: suite, membershipKey: [], groupContext: context)

            let group = MLSGroup(configuration: configuration, suite: suite, epoch: epoch.state,
                                 signatureKeyPair: identity.signatureKeyPair)
            let groupInfo = try options.groupInfo.map { MLSMessage(.groupInfo(try group.makeGroupInfo(for: epoch.state, options: $0))) }
            return ExternalJoin(group: group, commit: MLSMessage(.publicMessage(message)), groupInfo: groupInfo)
        }
    }
}
