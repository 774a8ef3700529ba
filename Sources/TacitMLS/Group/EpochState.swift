/// Everything a member holds for one epoch: the agreed public state, its own private keys for
/// the tree, and the epoch's secrets and transcript.
struct EpochState: Sendable {
    /// The GroupContext of the epoch.
    var groupContext: GroupContext
    /// The public ratchet tree with the tree hash of every node.
    var treeHashes: TreeHashCache
    /// This member's private keys for its leaf and for nodes of its direct path.
    var privateTree: TreeKEMPrivateState
    /// The kept secrets of the epoch.
    var keys: EpochKeyMaterial
    /// Message keys of the epoch.
    var secretTree: SecretTree
    /// `interim_transcript_hash` after the Commit that started the epoch.
    var interimTranscriptHash: [UInt8]
    /// The confirmation tag of that Commit (needed for GroupInfo).
    var confirmationTag: [UInt8]

    /// This member's leaf.
    var ownLeaf: LeafIndex { privateTree.leafIndex }

    /// The public ratchet tree.
    var tree: RatchetTree { treeHashes.tree }
}

/// The secrets a new epoch starts from, with the parts that only its creator needs.
struct DerivedEpoch: Sendable {
    var state: EpochState
    /// `joiner_secret`, for the Welcome's GroupSecrets.
    var joinerSecret: [UInt8]
    /// `welcome_secret`, for encrypting the Welcome's GroupInfo.
    var welcomeSecret: [UInt8]

    /// Runs the key schedule (Section 8) for a new epoch whose GroupContext (with the new
    /// confirmed transcript hash) is `groupContext`, and confirms it with `confirmationTag`
    /// (verified when given, computed otherwise).
    ///
    /// - Throws: ``MLSGroupError/invalidConfirmationTag`` if a given tag is wrong.
    static func derive(
        suite: any CipherSuite, initSecret: [UInt8], commitSecret: [UInt8]?, pskSecret: [UInt8]?,
        groupContext: GroupContext, treeHashes: TreeHashCache, privateTree: TreeKEMPrivateState,
        receivedConfirmationTag: [UInt8]?, configuration: MLSGroupConfiguration
    ) throws -> DerivedEpoch {
        let secrets = try EpochSecrets(suite: suite, initSecret: initSecret, commitSecret: commitSecret,
                                       pskSecret: pskSecret, groupContext: groupContext)
        return try finish(secrets: secrets, groupContext: groupContext, treeHashes: treeHashes, privateTree: privateTree,
                          receivedConfirmationTag: receivedConfirmationTag, configuration: configuration)
    }

    /// Completes an epoch from already derived secrets (a joiner's path).
    static func finish(
        secrets: EpochSecrets, groupContext: GroupContext, treeHashes: TreeHashCache, privateTree: TreeKEMPrivateState,
        receivedConfirmationTag: [UInt8]?, configuration: MLSGroupConfiguration
    ) throws -> DerivedEpoch {
        // The GroupContext must describe the tree these hashes belong to.
        guard treeHashes.rootHash == groupContext.treeHash else {
            throw MLSGroupError.internalFailure("tree hash of the new epoch differs from its GroupContext")
        }
        let suite = secrets.suite
        let confirmed = groupContext.confirmedTranscriptHash
        let tag: [UInt8]
        if let receivedConfirmationTag {
            guard ConfirmationTag.verify(receivedConfirmationTag, suite: suite, confirmationKey: secrets.confirmationKey,
                                         confirmedTranscriptHash: confirmed) else {
                throw MLSGroupError.invalidConfirmationTag
            }
            tag = receivedConfirmationTag
        } else {
            tag = ConfirmationTag.compute(suite: suite, confirmationKey: secrets.confirmationKey, confirmedTranscriptHash: confirmed)
        }
        let state = EpochState(
            groupContext: groupContext, treeHashes: treeHashes, privateTree: privateTree, keys: EpochKeyMaterial(secrets),
            secretTree: SecretTree(suite: suite, encryptionSecret: secrets.encryptionSecret, leafCount: treeHashes.tree.leafCount,
                                   configuration: configuration.secretTree),
            interimTranscriptHash: TranscriptHash.interim(suite: suite, confirmedTranscriptHash: confirmed, confirmationTag: tag),
            confirmationTag: tag)
        return DerivedEpoch(state: state, joinerSecret: secrets.joinerSecret, welcomeSecret: secrets.welcomeSecret)
    }
}
