import Testing
@testable import TacitMLS

/// Messages and Commits a group must refuse, and the state it must keep when it does.
@Suite("Group validation (negative cases)")
struct GroupValidationTests {
    typealias F = GroupFixtures

    /// Re-signs `message`'s content as the member `group` would and re-tags it, as a malicious
    /// member holding the epoch's keys could; `change` edits the content first.
    static func forge(_ message: MLSMessage, as group: MLSGroup,
                      change: (inout FramedContent, inout FramedContentAuthData) -> Void) throws -> MLSMessage {
        guard case .publicMessage(let original) = message.body else { throw VectorFailure("not public") }
        var content = original.content
        var auth = original.auth
        change(&content, &auth)
        var signed = try AuthenticatedContent.sign(wireFormat: .publicMessage, content: content, suite: group.suite,
                                                   signaturePrivateKey: group.signatureKeyPair.privateKey,
                                                   groupContext: group.groupContext)
        signed.auth.confirmationTag = auth.confirmationTag
        return MLSMessage(.publicMessage(try PublicMessage.protect(signed, suite: group.suite,
                                                                   membershipKey: group.current.keys.membershipKey,
                                                                   groupContext: group.groupContext)))
    }

    /// Expects `body` to throw `expected` and `group` to be byte-for-byte unchanged afterwards.
    static func expectRefused(_ group: inout MLSGroup, _ expected: MLSGroupError, _ message: MLSMessage,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let before = group.serializedState()
        #expect(throws: expected, sourceLocation: sourceLocation) { _ = try group.process(message) }
        let unchanged = group.serializedState() == before
        #expect(unchanged, "a refused message leaves the group unchanged", sourceLocation: sourceLocation)
    }

    @Test("messages of another epoch are refused; late application messages of the last epoch still decrypt")
    func wrongEpoch() throws {
        var groups = try F.group(["a", "b", "c"])
        let late = try groups[0].encrypt([1])
        let proposal = try groups[0].proposeUpdate()
        _ = try groups[1].process(proposal)
        _ = try groups[2].process(proposal)
        let bundle = try groups[1].commit()
        try groups[1].mergePendingCommit()
        _ = try groups[0].process(bundle.commit)
        _ = try groups[2].process(bundle.commit)

        Self.expectRefused(&groups[2], .wrongEpoch(current: 2, message: 1), proposal)
        Self.expectRefused(&groups[2], .wrongEpoch(current: 2, message: 1), bundle.commit)
        #expect(try groups[2].decrypt(late).epoch == 1, "kept past epoch")

        // Two epochs on, the old epoch's keys are gone.
        let late2 = try groups[0].encrypt([2])
        for _ in 0..<2 {
            let next = try groups[0].commit()
            try groups[0].mergePendingCommit()
            _ = try groups[1].process(next.commit)
            _ = try groups[2].process(next.commit)
        }
        Self.expectRefused(&groups[1], .wrongEpoch(current: 4, message: 2), late2)
    }

    @Test("a replayed application message is refused")
    func replay() throws {
        var groups = try F.group(["a", "b"])
        let message = try groups[0].encrypt(Array("once".utf8))
        #expect(try groups[1].decrypt(message).data == Array("once".utf8))
        Self.expectRefused(&groups[1], .secretTree(.generationAlreadyUsed(0)), message)
    }

    @Test("a Commit with a tampered signature is refused and leaves the group unchanged")
    func tamperedSignature() throws {
        var groups = try F.group(["a", "b", "c"])
        let bundle = try groups[0].commit()
        // Flip a signature bit and recompute the membership tag, as a member could.
        guard case .publicMessage(var tampered) = bundle.commit.body else { throw VectorFailure("not public") }
        tampered.auth.signature[5] ^= 1
        tampered.membershipTag = tampered.expectedMembershipTag(suite: groups[1].suite,
                                                                membershipKey: groups[1].current.keys.membershipKey,
                                                                groupContext: groups[1].groupContext)
        Self.expectRefused(&groups[1], .invalidSignature, MLSMessage(.publicMessage(tampered)))
        // Without the new tag the membership check fails first.
        tampered.auth.signature[6] ^= 1
        Self.expectRefused(&groups[1], .framing(.invalidMembershipTag), MLSMessage(.publicMessage(tampered)))
        // The genuine Commit still applies.
        try groups[0].mergePendingCommit()
        _ = try groups[1].process(bundle.commit)
        #expect(groups[1].epochAuthenticator == groups[0].epochAuthenticator)

        // An external Commit carries no membership tag: there the signature check catches it.
        guard case .groupInfo(let info) = try groups[0].groupInfo().body else { throw VectorFailure("no GroupInfo") }
        let join = try MLSGroup.joinByExternalCommit(groupInfo: info, identity: F.identity("dave"))
        guard case .publicMessage(var external) = join.commit.body else { throw VectorFailure("not public") }
        external.auth.signature[0] ^= 0x80
        Self.expectRefused(&groups[1], .invalidSignature, MLSMessage(.publicMessage(external)))
    }

    @Test("a path whose parent hash does not chain is refused")
    func badParentHash() throws {
        var groups = try F.group(["a", "b", "c", "d"])
        let bundle = try groups[0].commit()
        // Swap in another key for the first path node and re-sign everything: the leaf's parent
        // hash no longer matches the path.
        let forged = try Self.forge(bundle.commit, as: groups[0]) { content, _ in
            guard case .commit(var commit) = content.body, var path = commit.path else { return }
            path.nodes[0].encryptionKey = groups[0].suite.generateHPKEKeyPair().publicKey
            commit.path = path
            content.body = .commit(commit)
        }
        Self.expectRefused(&groups[2], .treeKEM(.parentHashMismatch), forged)
        // With a re-signed leaf that carries a wrong parent hash, the same check applies.
        let forgedLeaf = try Self.forge(bundle.commit, as: groups[0]) { content, _ in
            guard case .commit(var commit) = content.body, var path = commit.path else { return }
            path.leafNode.source = .commit(parentHash: [UInt8](repeating: 0, count: 32))
            try? path.leafNode.sign(suite: groups[0].suite, privateKey: groups[0].signatureKeyPair.privateKey,
                                    group: LeafNodeGroupBinding(groupID: groups[0].groupID, leafIndex: LeafIndex(0)))
            commit.path = path
            content.body = .commit(commit)
        }
        Self.expectRefused(&groups[2], .treeKEM(.parentHashMismatch), forgedLeaf)
        // A leaf whose signature no longer verifies.
        let badLeafSignature = try Self.forge(bundle.commit, as: groups[0]) { content, _ in
            guard case .commit(var commit) = content.body, var path = commit.path else { return }
            path.leafNode.signature[0] ^= 1
            commit.path = path
            content.body = .commit(commit)
        }
        Self.expectRefused(&groups[2], .invalidLeafNode(.invalidSignature), badLeafSignature)
    }

    @Test("a Commit whose confirmation tag is wrong, or that lacks a required path, is refused")
    func confirmationTagAndPath() throws {
        var groups = try F.group(["a", "b", "c"])
        let bundle = try groups[0].commit()
        let wrongTag = try Self.forge(bundle.commit, as: groups[0]) { _, auth in auth.confirmationTag?[0] ^= 1 }
        Self.expectRefused(&groups[1], .invalidConfirmationTag, wrongTag)
        let noPath = try Self.forge(bundle.commit, as: groups[0]) { content, _ in
            guard case .commit(var commit) = content.body else { return }
            commit.path = nil
            commit.proposals = [.proposal(.remove(RemoveProposal(removed: LeafIndex(2))))]
            content.body = .commit(commit)
        }
        Self.expectRefused(&groups[1], .pathRequired, noPath)
        let unknownReference = try Self.forge(bundle.commit, as: groups[0]) { content, _ in
            guard case .commit(var commit) = content.body else { return }
            commit.proposals = [.reference(ProposalRef(bytes: [UInt8](repeating: 3, count: 32)))]
            content.body = .commit(commit)
        }
        Self.expectRefused(&groups[1], .unknownProposalReference(ProposalRef(bytes: [UInt8](repeating: 3, count: 32))),
                           unknownReference)
        let removesCommitter = try Self.forge(bundle.commit, as: groups[0]) { content, _ in
            guard case .commit(var commit) = content.body else { return }
            commit.proposals = [.proposal(.remove(RemoveProposal(removed: LeafIndex(0))))]
            content.body = .commit(commit)
        }
        Self.expectRefused(&groups[1], .invalidProposal(.removesCommitter), removesCommitter)
        // The committer cannot process its own Commit once it dropped the pending copy.
        groups[0].discardPendingCommit()
        Self.expectRefused(&groups[0], .ownCommitNotPending, bundle.commit)
    }

    @Test("a removed member cannot read the group afterwards")
    func removedMember() throws {
        var groups = try F.group(["a", "b", "c"])
        let bundle = try groups[0].commit(adding: [], removing: [LeafIndex(1)])
        try groups[0].mergePendingCommit()
        guard case .commit(let changes) = try groups[1].process(bundle.commit) else { throw VectorFailure("not a commit") }
        #expect(changes.removedSelf)
        _ = try groups[2].process(bundle.commit)
        let secret = try groups[0].encrypt(Array("after".utf8))
        #expect(try groups[2].decrypt(secret).data == Array("after".utf8))
        #expect(throws: MLSGroupError.removedFromGroup) { try groups[1].decrypt(secret) }
        #expect(throws: MLSGroupError.removedFromGroup) { try groups[1].encrypt([1]) }
        #expect(throws: MLSGroupError.removedFromGroup) { try groups[1].commit() }
    }

    @Test("invalid proposals: expired or reused KeyPackages, existing clients, rejected credentials, bad senders")
    func invalidProposals() throws {
        var groups = try F.group(["a", "b"])

        // Lifetimes are checked against the injected clock.
        let expired = try KeyPackageBundle.create(suite: F.suiteID, identity: F.identity("old"),
                                                  lifetime: Lifetime(notBefore: 0, notAfter: 1000))
        #expect(throws: MLSGroupError.invalidKeyPackage(.invalidLeafNode(.outsideLifetime))) {
            try groups[0].commit(adding: [expired.keyPackage])
        }
        var pastClock = groups[0]
        pastClock.configuration.clock = FixedMLSClock(now: 500)
        _ = try pastClock.commit(adding: [expired.keyPackage])
        var skipping = groups[0]
        skipping.configuration.lifetimeValidation = .skip
        _ = try skipping.commit(adding: [expired.keyPackage])

        // The same client twice, or a client already in the group.
        let carol = try F.keyPackage("carol")
        #expect(throws: MLSGroupError.invalidProposal(.addsExistingClient)) {
            try groups[0].commit(adding: [carol.keyPackage, carol.keyPackage])
        }
        let bobAgain = KeyPackage(cipherSuite: F.suiteID, initKey: carol.keyPackage.initKey,
                                  leafNode: try #require(groups[0].ratchetTree.leafNode(at: LeafIndex(1))))
        #expect(throws: MLSGroupError.self) { try groups[0].commit(adding: [bobAgain]) }

        // One init key in two packages: a KeyPackage used twice.
        let dave = try F.identity("dave")
        var daveLeaf = carol.keyPackage.leafNode
        daveLeaf.signatureKey = dave.signatureKeyPair.publicKey
        daveLeaf.credential = dave.credential
        daveLeaf.encryptionKey = groups[0].suite.generateHPKEKeyPair().publicKey
        try daveLeaf.sign(suite: groups[0].suite, privateKey: dave.signatureKeyPair.privateKey, group: nil)
        var reused = KeyPackage(cipherSuite: F.suiteID, initKey: carol.keyPackage.initKey, leafNode: daveLeaf)
        try reused.sign(suite: groups[0].suite, privateKey: dave.signatureKeyPair.privateKey)
        #expect(throws: MLSGroupError.invalidProposal(.keyPackageReused)) {
            try groups[0].commit(adding: [carol.keyPackage, reused])
        }

        // The application's credential policy.
        struct NoMallory: CredentialValidator {
            func isValid(_ credential: Credential, signatureKey: SignaturePublicKey) -> Bool {
                credential != .basic(identity: Array("mallory".utf8))
            }
            func isValidReplacement(of old: Credential, by new: Credential) -> Bool { old == new }
        }
        var strict = groups[0]
        strict.configuration.credentialValidator = NoMallory()
        let mallory = try F.keyPackage("mallory")
        #expect(throws: MLSGroupError.credentialRejected(.basic(identity: Array("mallory".utf8)))) {
            try strict.commit(adding: [mallory.keyPackage])
        }
        // A receiver with that policy refuses the Add proposal too.
        var bobStrict = groups[1]
        bobStrict.configuration.credentialValidator = NoMallory()
        Self.expectRefused(&bobStrict, .credentialRejected(.basic(identity: Array("mallory".utf8))),
                           try groups[0].proposeAdd(mallory.keyPackage))

        // Removing a blank leaf; an external sender the group does not know.
        #expect(throws: MLSGroupError.invalidProposal(.removesBlankLeaf(LeafIndex(5)))) {
            try groups[1].proposeRemove(LeafIndex(5))
        }
        let outsider = try F.identity("outsider")
        let framed = FramedContent(groupID: groups[1].groupID, epoch: groups[1].epoch, sender: .external(senderIndex: 0),
                                   body: .proposal(.remove(RemoveProposal(removed: LeafIndex(0)))))
        let signed = try AuthenticatedContent.sign(wireFormat: .publicMessage, content: framed, suite: groups[1].suite,
                                                   signaturePrivateKey: outsider.signatureKeyPair.privateKey,
                                                   groupContext: groups[1].groupContext)
        let external = MLSMessage(.publicMessage(try PublicMessage.protect(signed, suite: groups[1].suite, membershipKey: [],
                                                                           groupContext: groups[1].groupContext)))
        Self.expectRefused(&groups[1], .invalidProposal(.unknownExternalSender(0)), external)
    }

    @Test("list rules: the committer's own Update, ExternalInit in a member's Commit, a reused encryption key")
    func listRules() throws {
        var groups = try F.group(["a", "b", "c"])
        let leaf = try #require(groups[0].ratchetTree.leafNode(at: LeafIndex(0)))
        #expect(throws: MLSGroupError.invalidProposal(.updateByCommitter)) {
            try groups[0].commit(proposals: [.update(UpdateProposal(leafNode: leaf))])
        }
        #expect(throws: MLSGroupError.invalidProposal(.externalInitMisplaced)) {
            try groups[0].commit(proposals: [.externalInit(ExternalInitProposal(kemOutput: [1]))])
        }
        #expect(throws: MLSGroupError.invalidProposal(.leafChangedTwice(LeafIndex(1)))) {
            try groups[0].commit(adding: [], removing: [LeafIndex(1), LeafIndex(1)])
        }
        // A new member whose leaf reuses an existing member's encryption key.
        let eve = try F.identity("eve")
        let bobLeaf = try #require(groups[0].ratchetTree.leafNode(at: LeafIndex(1)))
        var eveLeaf = LeafNode(encryptionKey: bobLeaf.encryptionKey, signatureKey: eve.signatureKeyPair.publicKey,
                               credential: eve.credential, capabilities: .tacitDefault(),
                               source: .keyPackage(Lifetime(notBefore: 0, notAfter: .max)))
        try eveLeaf.sign(suite: groups[0].suite, privateKey: eve.signatureKeyPair.privateKey, group: nil)
        var package = KeyPackage(cipherSuite: F.suiteID, initKey: groups[0].suite.generateHPKEKeyPair().publicKey,
                                 leafNode: eveLeaf)
        try package.sign(suite: groups[0].suite, privateKey: eve.signatureKeyPair.privateKey)
        #expect(throws: MLSGroupError.tree(.duplicateEncryptionKey(LeafIndex(1).nodeIndex, LeafIndex(3).nodeIndex))) {
            try groups[0].commit(adding: [package])
        }
    }

    @Test("stored proposals: a Remove wins over an Update of the same member; the committer's own Update is left out")
    func pendingSelection() throws {
        var groups = try F.group(["a", "b", "c"])
        let update = try groups[1].proposeUpdate()
        let remove = try groups[2].proposeRemove(LeafIndex(1))
        let ownUpdate = try groups[0].proposeUpdate()
        for (sender, message) in [(1, update), (2, remove), (0, ownUpdate)] {
            for index in groups.indices where index != sender { _ = try groups[index].process(message) }
        }
        let bundle = try groups[0].commit()
        #expect(bundle.changes.removed.map(\.index) == [LeafIndex(1)])
        #expect(bundle.changes.updated.isEmpty)
        try groups[0].mergePendingCommit()
        _ = try groups[2].process(bundle.commit)
        #expect(groups[2].epochAuthenticator == groups[0].epochAuthenticator)
    }

    @Test("external senders named in the GroupContext may propose; their proposals commit")
    func externalSender() throws {
        let service = try F.identity("service")
        let senders = Extension(ExternalSendersExtension(senders: [ExternalSender(signatureKey: service.signatureKeyPair.publicKey,
                                                                                  credential: service.credential)]))
        var creator = try MLSGroup.create(suite: F.suiteID, identity: F.identity("a"), groupContextExtensions: [senders])
        let bob = try F.keyPackage("b")
        let bundle = try creator.commit(adding: [bob.keyPackage])
        try creator.mergePendingCommit()
        var bobGroup = try MLSGroup.join(welcome: try #require(bundle.welcome), keyPackage: bob)
        let framed = FramedContent(groupID: creator.groupID, epoch: creator.epoch, sender: .external(senderIndex: 0),
                                   body: .proposal(.remove(RemoveProposal(removed: LeafIndex(1)))))
        let signed = try AuthenticatedContent.sign(wireFormat: .publicMessage, content: framed, suite: creator.suite,
                                                   signaturePrivateKey: service.signatureKeyPair.privateKey,
                                                   groupContext: creator.groupContext)
        let proposal = MLSMessage(.publicMessage(try PublicMessage.protect(signed, suite: creator.suite, membershipKey: [],
                                                                           groupContext: creator.groupContext)))
        guard case .proposal(let received) = try creator.process(proposal) else { throw VectorFailure("not a proposal") }
        #expect(received.sender == .external(senderIndex: 0))
        _ = try bobGroup.process(proposal)
        let removal = try creator.commit()
        #expect(removal.changes.removed.map(\.index) == [LeafIndex(1)])
        try creator.mergePendingCommit()
        guard case .commit(let changes) = try bobGroup.process(removal.commit) else { throw VectorFailure("not a commit") }
        #expect(changes.removedSelf)

        // An external sender may not propose an Update (Section 12.1.8).
        let update = FramedContent(groupID: creator.groupID, epoch: creator.epoch, sender: .external(senderIndex: 0),
                                   body: .proposal(.update(UpdateProposal(leafNode: try #require(creator.ratchetTree.leafNode(at: LeafIndex(0)))))))
        let signedUpdate = try AuthenticatedContent.sign(wireFormat: .publicMessage, content: update, suite: creator.suite,
                                                         signaturePrivateKey: service.signatureKeyPair.privateKey,
                                                         groupContext: creator.groupContext)
        Self.expectRefused(&creator, .invalidProposal(.proposalTypeNotAllowedForSender(.update)),
                           MLSMessage(.publicMessage(try PublicMessage.protect(signedUpdate, suite: creator.suite, membershipKey: [],
                                                                               groupContext: creator.groupContext))))
    }

    @Test("GroupContext extensions every member must support")
    func requiredCapabilities() throws {
        var groups = try F.group(["a", "b"])
        let unknownType = ExtensionType(rawValue: 0xF0F0)
        let required = Extension(RequiredCapabilitiesExtension(extensionTypes: [unknownType]))
        #expect(throws: MLSGroupError.invalidProposal(.requiredCapabilitiesUnsupported)) {
            try groups[0].commit(proposals: [.groupContextExtensions(GroupContextExtensionsProposal(extensions: [required]))])
        }
        let unsupported = Extension(type: unknownType, data: [1])
        #expect(throws: MLSGroupError.invalidProposal(.groupContextExtensionUnsupported(unknownType))) {
            try groups[0].commit(proposals: [.groupContextExtensions(GroupContextExtensionsProposal(extensions: [unsupported]))])
        }
        #expect(throws: MLSGroupError.invalidProposal(.duplicateExtension(.requiredCapabilities))) {
            try groups[0].proposeGroupContextExtensions([Extension(RequiredCapabilitiesExtension()),
                                                         Extension(RequiredCapabilitiesExtension())])
        }
    }

    @Test("joining with the wrong KeyPackage, non-group wire formats, and undecodable input fail cleanly")
    func badInput() throws {
        var alice = try MLSGroup.create(suite: F.suiteID, identity: F.identity("alice"))
        let bob = try F.keyPackage("bob"), carol = try F.keyPackage("carol")
        let bundle = try alice.commit(adding: [bob.keyPackage])
        let welcome = try #require(bundle.welcome)
        #expect(throws: MLSGroupError.welcomeNotForKeyPackage) { try MLSGroup.join(welcome: welcome, keyPackage: carol) }
        #expect(throws: MLSGroupError.unexpectedWireFormat(.welcome)) { try alice.process(welcome) }
        #expect(throws: MLSGroupError.invalidSerializedState("not a group state")) {
            try MLSGroup(serializedState: Array("XXXX and more".utf8), configuration: MLSGroupConfiguration())
        }
        let state = alice.serializedState()
        for cut in stride(from: 0, to: state.count, by: max(1, state.count / 97)) {
            #expect(throws: MLSGroupError.self) {
                try MLSGroup(serializedState: Array(state.prefix(cut)), configuration: MLSGroupConfiguration())
            }
        }
        var flipped = state
        flipped[flipped.count / 2] ^= 0xFF
        _ = try? MLSGroup(serializedState: flipped, configuration: MLSGroupConfiguration())
    }
}
