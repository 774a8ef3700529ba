extension MLSGroup {
    /// Joins a group from a Welcome (RFC 9420, Section 12.4.3.1).
    ///
    /// - Parameters:
    ///   - keyPackage: The KeyPackage the Welcome was made for, with its private keys. Delete it
    ///     after a successful join: a KeyPackage is for one use.
    ///   - ratchetTree: The group's tree, when the GroupInfo does not carry it.
    ///   - configuration: Policies, including the PSK store for the PSKs the Welcome names.
    public static func join(welcome: Welcome, keyPackage: KeyPackageBundle, ratchetTree: RatchetTree? = nil,
                            configuration: MLSGroupConfiguration = MLSGroupConfiguration()) throws(MLSGroupError) -> MLSGroup {
        try join(welcome: welcome, keyPackage: keyPackage, ratchetTree: ratchetTree, configuration: configuration, link: nil)
    }

    /// Joins from a Welcome; with `link`, into the group that reinitializes the linked old group,
    /// checking the Welcome against it (Sections 11.2 and 12.4.3.1).
    static func join(welcome: Welcome, keyPackage: KeyPackageBundle, ratchetTree: RatchetTree?,
                     configuration: MLSGroupConfiguration, link: ReInitLink?) throws(MLSGroupError) -> MLSGroup {
        try withGroupErrors {
            // The suite is visible before decryption; a wrong one needs no KeyPackage to reject.
            if let link, welcome.cipherSuite != link.proposal.cipherSuite { throw ReInitViolation.cipherSuiteMismatch }
            let (suite, groupSecrets) = try welcome.openGroupSecrets(for: keyPackage.keyPackage,
                                                                     initPrivateKey: keyPackage.secrets.initPrivateKey)
            let reInitPSK: PreSharedKey?
            if let link {
                reInitPSK = try link.preSharedKey(among: groupSecrets.psks)
            } else {
                // A reinit PSK cannot be checked without the old group (Section 12.4.3.1).
                if groupSecrets.psks.contains(where: \.isReInit) { throw ProposalRuleViolation.preSharedKeyUsageNotAllowed }
                reInitPSK = nil
            }
            let pskSecret = try pskSecret(for: groupSecrets.psks, suite: suite, store: configuration.preSharedKeys,
                                          known: reInitPSK)
            let decrypted = try welcome.decrypted(groupSecrets: groupSecrets, pskSecret: pskSecret, suite: suite)
            let info = decrypted.groupInfo
            let context = info.groupContext
            guard context.cipherSuite == keyPackage.keyPackage.cipherSuite, context.version == keyPackage.keyPackage.version else {
                throw MLSGroupError.cipherSuiteMismatch
            }
            try link?.checkGroupContext(context)
            let treeHashes = try verifiedTree(of: info, given: ratchetTree, suite: suite, configuration: configuration)
            let tree = treeHashes.tree
            try link?.checkMembers(present: tree.occupiedLeaves.compactMap { tree.leafNode(at: $0)?.credential },
                                   validator: configuration.credentialValidator)

            let ownLeaf = keyPackage.keyPackage.leafNode
            for ext in context.extensions where !ownLeaf.capabilities.supports(ext.type) {
                throw MLSGroupError.unsupportedGroupContextExtension(ext.type)
            }
            guard let index = tree.occupiedLeaves.first(where: { tree.leafNode(at: $0) == ownLeaf }) else {
                throw MLSGroupError.ownLeafNotFound
            }
            var privateTree = TreeKEMPrivateState(
                leafIndex: index,
                leafKeyPair: HPKEKeyPair(privateKey: keyPackage.secrets.encryptionPrivateKey, publicKey: ownLeaf.encryptionKey))
            if let pathSecret = groupSecrets.pathSecret {
                let ancestor = tree.size.commonAncestor(index.nodeIndex, info.signer.nodeIndex)
                try privateTree.applyPathSecret(pathSecret.secret, at: ancestor, tree: tree, suite: suite)
            }
            // Reinit and branch PSKs only start a new group's first epoch (Section 12.4.3.1).
            if groupSecrets.psks.contains(where: \.isReInitOrBranch), context.epoch != 1 {
                throw MLSGroupError.invalidProposal(.preSharedKeyUsageNotAllowed)
            }

            let secrets = try EpochSecrets(suite: suite, joinerSecret: groupSecrets.joinerSecret,
                                           pskSecret: decrypted.pskSecret, groupContext: context)
            let epoch = try DerivedEpoch.finish(secrets: secrets, groupContext: context, treeHashes: treeHashes, privateTree: privateTree,
                                                receivedConfirmationTag: info.confirmationTag, configuration: configuration)
            let signatureKeyPair = SignatureKeyPair(privateKey: keyPackage.secrets.signaturePrivateKey,
                                                    publicKey: ownLeaf.signatureKey)
            return MLSGroup(configuration: configuration, suite: suite, epoch: epoch.state, signatureKeyPair: signatureKeyPair)
        }
    }

    /// Joins from a Welcome sent as an `MLSMessage`.
    public static func join(welcome message: MLSMessage, keyPackage: KeyPackageBundle, ratchetTree: RatchetTree? = nil,
                            configuration: MLSGroupConfiguration = MLSGroupConfiguration()) throws(MLSGroupError) -> MLSGroup {
        guard case .welcome(let welcome) = message.body else { throw .unexpectedWireFormat(message.wireFormat) }
        return try join(welcome: welcome, keyPackage: keyPackage, ratchetTree: ratchetTree, configuration: configuration)
    }

    /// The tree of a GroupInfo (given, or from its `ratchet_tree` extension), after the checks a
    /// joiner makes (Section 12.4.3.1): the signer's signature, the tree's integrity against the
    /// GroupContext, every credential, and the GroupContext extensions.
    static func verifiedTree(of info: GroupInfo, given: RatchetTree?, suite: any CipherSuite,
                             configuration: MLSGroupConfiguration) throws -> TreeHashCache {
        guard let tree = try given ?? info.extensions.payload(RatchetTreeExtension.self)?.tree else {
            throw MLSGroupError.missingRatchetTree
        }
        guard let signer = tree.leafNode(at: info.signer),
              info.verifySignature(suite: suite, signatureKey: signer.signatureKey) else {
            throw MLSGroupError.invalidGroupInfoSignature
        }
        let context = info.groupContext
        let validation = ProposalValidation(suite: suite, groupContext: context, tree: tree, configuration: configuration)
        try validation.validateExtensionList(context.extensions)
        let treeHashes = TreeHashCache(tree: tree, suite: suite)
        guard treeHashes.rootHash == context.treeHash else { throw RatchetTreeError.treeHashMismatch }
        try tree.validate(suite: suite, groupID: context.groupID,
                          requiredCapabilities: try context.extensions.payload(RequiredCapabilitiesExtension.self))
        for index in tree.occupiedLeaves {
            guard let leaf = tree.leafNode(at: index) else { continue }
            guard configuration.credentialValidator.isValid(leaf.credential, signatureKey: leaf.signatureKey) else {
                throw MLSGroupError.credentialRejected(leaf.credential)
            }
        }
        return treeHashes
    }
}
