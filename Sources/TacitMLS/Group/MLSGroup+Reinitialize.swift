/// A group made to reinitialize another (RFC 9420, Section 11.2): the new group, already in
/// epoch 1, and the Welcome that brings the old group's other members into it.
public struct ReinitializedGroup: Sendable {
    /// This client's state of the new group, in epoch 1.
    public var group: MLSGroup
    /// The Welcome for the other members; `nil` when no KeyPackages were given (a group of one).
    public var welcome: MLSMessage?
    /// The GroupInfo of epoch 1, if ``CommitOptions/groupInfo`` asked for one.
    public var groupInfo: MLSMessage?
    /// What the new group's first Commit did: the added members and the `reinit` PSK.
    public var changes: CommitChanges
}

extension MLSGroup {
    /// Creates the group that continues `oldGroup` after a Commit with a ReInit proposal
    /// (RFC 9420, Section 11.2, step 3), and its first Commit.
    ///
    /// The new group has the ReInit's `group_id`, `version`, `cipher_suite` and GroupContext
    /// `extensions`. Its first Commit adds the owners of `keyPackages` and injects the old
    /// group's resumption PSK of its current epoch (usage `reinit`), so only members of the old
    /// epoch can enter the new one. The Commit has no one to go to and is merged at once; the
    /// returned group is in epoch 1. Send the Welcome to the old group's members, who join with
    /// ``join(welcome:keyPackage:reinitializing:ratchetTree:configuration:)``. If another member
    /// reinitialized first, discard the returned group and join from that member's Welcome.
    ///
    /// `oldGroup` is not changed: keep it until every member joined, as its resumption PSK
    /// is what they need.
    ///
    /// - Parameters:
    ///   - oldGroup: The group whose last Commit carried the ReInit.
    ///   - keyPackages: One KeyPackage, in the new cipher suite, for each other member of the old group.
    ///   - identity: This client's credential and signature key pair for the new group.
    ///   - capabilities: This client's leaf capabilities; by default ``Capabilities/tacitDefault(credentialType:)``.
    ///   - lifetime: This client's leaf lifetime; by default one hour before now to 90 days after.
    ///   - options: How the first Commit is made; stored proposals play no part (the group is new).
    ///   - configuration: The new group's policies; by default the old group's.
    /// - Throws: ``MLSGroupError/groupNotReinitialized`` if `oldGroup`'s last Commit carried no
    ///   ReInit; ``MLSGroupError/invalidReinitialization(_:)`` with ``ReInitViolation/memberMissing(_:)``
    ///   if a member of the old group has no KeyPackage (nor is this client); the errors of
    ///   ``create(groupID:suite:identity:capabilities:lifetime:leafExtensions:groupContextExtensions:configuration:)``
    ///   and ``commit(proposals:options:)`` otherwise.
    public static func reinitialize(
        from oldGroup: MLSGroup,
        keyPackages: [KeyPackage],
        identity: MLSSigningIdentity,
        capabilities: Capabilities? = nil,
        lifetime: Lifetime? = nil,
        leafExtensions: [Extension] = [],
        options: CommitOptions = CommitOptions(),
        configuration: MLSGroupConfiguration? = nil
    ) throws(MLSGroupError) -> ReinitializedGroup {
        try reinitialize(from: oldGroup, keyPackages: keyPackages, identity: identity, capabilities: capabilities,
                         lifetime: lifetime, leafExtensions: leafExtensions, options: options, configuration: configuration,
                         overriding: nil, pskEpoch: nil, checksMembers: true)
    }

    /// ``reinitialize(from:keyPackages:identity:capabilities:lifetime:leafExtensions:options:configuration:)``
    /// with its checks loosened, so tests can make the bad Welcomes a joiner must refuse:
    /// other group parameters than the ReInit's, a PSK of another (kept) epoch, missing members.
    static func reinitialize(
        from oldGroup: MLSGroup, keyPackages: [KeyPackage], identity: MLSSigningIdentity, capabilities: Capabilities?,
        lifetime: Lifetime?, leafExtensions: [Extension], options: CommitOptions, configuration: MLSGroupConfiguration?,
        overriding parameters: ReInitProposal?, pskEpoch: UInt64?, checksMembers: Bool
    ) throws(MLSGroupError) -> ReinitializedGroup {
        let link = try ReInitLink(oldGroup: oldGroup)
        let configuration = configuration ?? oldGroup.configuration
        let parameters = parameters ?? link.proposal
        let pskEpoch = pskEpoch ?? link.oldEpoch
        let kept = pskEpoch == link.oldEpoch ? link.resumptionPSK : oldGroup.resumptionPSKs.first { $0.epoch == pskEpoch }?.secret
        guard let secret = kept else {
            throw .missingPreSharedKey(PreSharedKeyID(kind: .resumption(usage: .reinit, groupID: link.oldGroupID, epoch: pskEpoch),
                                                      nonce: []))
        }
        if checksMembers {
            try withGroupErrors {
                try link.checkMembers(present: [identity.credential] + keyPackages.map(\.leafNode.credential),
                                      validator: configuration.credentialValidator)
            }
        }
        var group = try create(version: parameters.version, groupID: parameters.groupID, suite: parameters.cipherSuite,
                               identity: identity, capabilities: capabilities, lifetime: lifetime,
                               leafExtensions: leafExtensions, groupContextExtensions: parameters.extensions,
                               configuration: configuration)
        // The nonce has the new group's `Nh`: the PSK proposal is part of the new group.
        let psk = PreSharedKey(id: PreSharedKeyID(kind: .resumption(usage: .reinit, groupID: link.oldGroupID, epoch: pskEpoch),
                                                  nonce: group.randomPSKNonce()),
                               secret: secret)
        let proposals = keyPackages.map { Proposal.add(AddProposal(keyPackage: $0)) }
            + [.preSharedKey(PreSharedKeyProposal(psk: psk.id))]
        var options = options
        options.includePendingProposals = false
        let bundle = try withGroupErrors { try group.createCommit(inline: proposals, options: options, reInitPSK: psk) }
        try group.mergePendingCommit()
        return ReinitializedGroup(group: group, welcome: bundle.welcome, groupInfo: bundle.groupInfo, changes: bundle.changes)
    }

    /// Joins the group that continues `oldGroup` after its ReInit, from the Welcome of the member
    /// that made it (RFC 9420, Sections 11.2 and 12.4.3.1).
    ///
    /// Besides the checks of ``join(welcome:keyPackage:ratchetTree:configuration:)``, the Welcome
    /// must name exactly one resumption PSK of usage `reinit` or `branch`, a `reinit` one of the
    /// old group's current epoch (its secret comes from `oldGroup`); the new group must be in
    /// epoch 1 with the ReInit's `group_id`, `version`, `cipher_suite` and extensions; and every
    /// member of the old group, this client included, must be a member of the new one, as the
    /// configuration's ``CredentialValidator/isSameMember(_:as:)`` decides.
    ///
    /// - Parameters:
    ///   - keyPackage: The KeyPackage, in the new cipher suite, the Welcome was made for.
    ///   - oldGroup: The group whose last Commit carried the ReInit; it is not changed.
    ///   - ratchetTree: The new group's tree, when the GroupInfo does not carry it.
    ///   - configuration: The new group's policies; by default the old group's.
    /// - Throws: ``MLSGroupError/groupNotReinitialized`` if `oldGroup`'s last Commit carried no
    ///   ReInit; ``MLSGroupError/invalidReinitialization(_:)`` if the Welcome does not match it;
    ///   the errors of a plain join otherwise.
    public static func join(welcome: Welcome, keyPackage: KeyPackageBundle, reinitializing oldGroup: MLSGroup,
                            ratchetTree: RatchetTree? = nil,
                            configuration: MLSGroupConfiguration? = nil) throws(MLSGroupError) -> MLSGroup {
        let link = try ReInitLink(oldGroup: oldGroup)
        return try join(welcome: welcome, keyPackage: keyPackage, ratchetTree: ratchetTree,
                        configuration: configuration ?? oldGroup.configuration, link: link)
    }

    /// Joins the group that continues `oldGroup` from a Welcome sent as an `MLSMessage`.
    public static func join(welcome message: MLSMessage, keyPackage: KeyPackageBundle, reinitializing oldGroup: MLSGroup,
                            ratchetTree: RatchetTree? = nil,
                            configuration: MLSGroupConfiguration? = nil) throws(MLSGroupError) -> MLSGroup {
        guard case .welcome(let welcome) = message.body else { throw .unexpectedWireFormat(message.wireFormat) }
        return try join(welcome: welcome, keyPackage: keyPackage, reinitializing: oldGroup, ratchetTree: ratchetTree,
                        configuration: configuration)
    }
}
