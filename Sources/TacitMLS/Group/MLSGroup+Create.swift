extension MLSGroup {
    /// Creates a one-member group (RFC 9420, Section 11) with this client at leaf 0.
    ///
    /// - Parameters:
    ///   - groupID: The group's identifier; by default `Nh` random bytes.
    ///   - capabilities: The creator's leaf capabilities; by default ``Capabilities/tacitDefault(credentialType:)``.
    ///   - lifetime: The creator's leaf lifetime; by default one hour before now to 90 days after.
    ///   - groupContextExtensions: The initial GroupContext extensions; the creator must support them.
    public static func create(
        groupID: [UInt8]? = nil,
        suite suiteID: CipherSuiteID,
        identity: MLSSigningIdentity,
        capabilities: Capabilities? = nil,
        lifetime: Lifetime? = nil,
        leafExtensions: [Extension] = [],
        groupContextExtensions: [Extension] = [],
        configuration: MLSGroupConfiguration = MLSGroupConfiguration()
    ) throws(MLSGroupError) -> MLSGroup {
        try create(version: .mls10, groupID: groupID, suite: suiteID, identity: identity, capabilities: capabilities,
                   lifetime: lifetime, leafExtensions: leafExtensions, groupContextExtensions: groupContextExtensions,
                   configuration: configuration)
    }

    /// ``create(groupID:suite:identity:capabilities:lifetime:leafExtensions:groupContextExtensions:configuration:)``
    /// for protocol `version`, which a ReInit proposal may name.
    static func create(
        version: ProtocolVersion,
        groupID: [UInt8]?,
        suite suiteID: CipherSuiteID,
        identity: MLSSigningIdentity,
        capabilities: Capabilities?,
        lifetime: Lifetime?,
        leafExtensions: [Extension],
        groupContextExtensions: [Extension],
        configuration: MLSGroupConfiguration
    ) throws(MLSGroupError) -> MLSGroup {
        try withGroupErrors {
            let suite = try suiteID.suite()
            let bundle = try KeyPackageBundle.create(suite: suiteID, identity: identity, lifetime: lifetime,
                                                     capabilities: capabilities, leafExtensions: leafExtensions,
                                                     clock: configuration.clock)
            let leaf = bundle.keyPackage.leafNode
            let tree = RatchetTree(leaf: leaf)
            let treeHashes = TreeHashCache(tree: tree, suite: suite)
            let context = GroupContext(version: version, cipherSuite: suiteID, groupID: groupID ?? randomBytes(suite.hashLength),
                                       epoch: 0, treeHash: treeHashes.rootHash, confirmedTranscriptHash: [],
                                       extensions: groupContextExtensions)
            let validation = ProposalValidation(suite: suite, groupContext: context, tree: tree, configuration: configuration)
            try validation.validateExtensionList(groupContextExtensions)
            try validation.validateGroupParameters(leaf, extensions: groupContextExtensions)
            if let required = try groupContextExtensions.payload(RequiredCapabilitiesExtension.self),
               !leaf.capabilities.satisfies(required) {
                throw ProposalRuleViolation.requiredCapabilitiesUnsupported
            }
            let privateTree = TreeKEMPrivateState(
                leafIndex: LeafIndex(0),
                leafKeyPair: HPKEKeyPair(privateKey: bundle.secrets.encryptionPrivateKey, publicKey: leaf.encryptionKey))
            // Epoch 0 starts from a random init secret and no commit secret (Section 11).
            let epoch = try DerivedEpoch.derive(
                suite: suite, initSecret: randomBytes(suite.hashLength), commitSecret: nil, pskSecret: nil,
                groupContext: context, treeHashes: treeHashes, privateTree: privateTree, receivedConfirmationTag: nil,
                configuration: configuration)
            return MLSGroup(configuration: configuration, suite: suite, epoch: epoch.state,
                            signatureKeyPair: identity.signatureKeyPair)
        }
    }
}
