extension MLSGroup {
    /// A signed GroupInfo for the current epoch (Section 12.4.3), for example to let clients
    /// join by external Commit.
    public func groupInfo(options: GroupInfoOptions = GroupInfoOptions()) throws(MLSGroupError) -> MLSMessage {
        try requireActive()
        return try withGroupErrors { MLSMessage(.groupInfo(try makeGroupInfo(for: current, options: options))) }
    }

    /// Builds and signs the GroupInfo of `state`, signed by this member.
    func makeGroupInfo(for state: EpochState, options: GroupInfoOptions) throws -> GroupInfo {
        var extensions: [Extension] = []
        if options.includeRatchetTree { extensions.append(Extension(RatchetTreeExtension(tree: state.tree))) }
        if options.includeExternalPub {
            extensions.append(Extension(ExternalPubExtension(externalPub: try state.keys.externalKeyPair(suite: suite).publicKey)))
        }
        extensions += options.extensions
        var info = GroupInfo(groupContext: state.groupContext, extensions: extensions,
                             confirmationTag: state.confirmationTag, signer: state.ownLeaf)
        try info.sign(suite: suite, signingKey: signingKey)
        return info
    }

    /// The Welcome for the members `added` by a Commit that starts `epoch` (Section 12.4.3.1),
    /// carrying `groupInfo` (signed for that epoch) or else a GroupInfo made for it.
    func makeWelcome(for epoch: DerivedEpoch, added: [(index: LeafIndex, keyPackage: KeyPackage)],
                     pathSecrets: [NodeIndex: [UInt8]], preSharedKeys: [PreSharedKeyID],
                     includeRatchetTree: Bool, groupInfo: GroupInfo? = nil) throws -> Welcome {
        let info = try groupInfo ?? makeGroupInfo(for: epoch.state, options: GroupInfoOptions(includeRatchetTree: includeRatchetTree,
                                                                                            includeExternalPub: false))
        let (key, nonce) = try EpochSecrets.welcomeKeyAndNonce(suite: suite, welcomeSecret: epoch.welcomeSecret)
        let encryptedGroupInfo = try suite.seal(key: key, nonce: nonce, associatedData: [], plaintext: info.mlsEncoded)
        let size = epoch.state.tree.size
        let committer = epoch.state.ownLeaf.nodeIndex
        let secrets = try added.map { member in
            // The path secret of the lowest node both direct paths share (Section 12.4.3.1).
            let pathSecret = pathSecrets[size.commonAncestor(committer, member.index.nodeIndex)].map(PathSecret.init(secret:))
            let groupSecrets = GroupSecrets(joinerSecret: epoch.joinerSecret, pathSecret: pathSecret, psks: preSharedKeys)
            let ciphertext = try suite.encryptWithLabel(publicKey: member.keyPackage.initKey, label: "Welcome",
                                                        context: encryptedGroupInfo, plaintext: groupSecrets.mlsEncoded)
            return EncryptedGroupSecrets(newMember: member.keyPackage.reference(suite: suite), encryptedGroupSecrets: ciphertext)
        }
        return Welcome(cipherSuite: cipherSuite, secrets: secrets, encryptedGroupInfo: encryptedGroupInfo)
    }
}
