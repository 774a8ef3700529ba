import Testing
@testable import TacitMLS

/// Reinitialization (RFC 9420, Section 11.2): a ReInit Commit ends a group, one member makes the
/// successor group with a `reinit` resumption PSK, and the others join it from the Welcome
/// after the checks of Section 12.4.3.1.
@Suite("ReInit successor group")
struct ReInitTests {
    typealias F = GroupFixtures

    static let newSuite = CipherSuiteID.mls128X25519ChaCha20Poly1305SHA256Ed25519
    static let newGroupID = Array("successor".utf8)
    static let newExtensions = [Extension(RequiredCapabilitiesExtension(credentialTypes: [.basic]))]

    /// A three-member group (a, b, c) in suite 1 after b proposed and a committed a ReInit into
    /// suite 3 with a new group id; every member merged it. Also returns b's state from before
    /// it processed the Commit (still active).
    static func reinitializedTrio() throws -> (old: [MLSGroup], bBeforeCommit: MLSGroup, proposal: ReInitProposal) {
        var old = try F.group(["a", "b", "c"])
        let proposal = try old[1].proposeReInit(groupID: newGroupID, cipherSuite: newSuite, extensions: newExtensions)
        for index in [0, 2] { _ = try old[index].process(proposal) }
        let bundle = try old[0].commit()
        #expect(bundle.changes.reInit?.groupID == newGroupID)
        try old[0].mergePendingCommit()
        let bBeforeCommit = old[1]
        for index in [1, 2] { _ = try old[index].process(bundle.commit) }
        let reInit = ReInitProposal(groupID: newGroupID, cipherSuite: newSuite, extensions: newExtensions)
        for group in old { #expect(group.status == .reinitialized(reInit)) }
        return (old, bBeforeCommit, reInit)
    }

    /// Fresh KeyPackages for b and c in the new suite.
    static func newPackages(_ names: [String] = ["b", "c"]) throws -> [KeyPackageBundle] {
        try names.map { try F.keyPackage($0, suite: newSuite) }
    }

    static func newIdentity(_ name: String) throws -> MLSSigningIdentity { try F.identity(name, suite: newSuite) }

    @Test("a reinitializes a 3-member group into suite 3; b and c join; all agree and talk; the old group stays closed")
    func reinitializeAndJoin() throws {
        let (old, _, proposal) = try Self.reinitializedTrio()
        let packages = try Self.newPackages()
        let result = try MLSGroup.reinitialize(from: old[0], keyPackages: packages.map(\.keyPackage),
                                               identity: Self.newIdentity("a"))
        var a = result.group
        #expect(a.epoch == 1)
        #expect(a.groupID == Self.newGroupID)
        #expect(a.cipherSuite == Self.newSuite)
        #expect(a.groupContext.version == proposal.version)
        #expect(a.groupContext.extensions == Self.newExtensions)
        #expect(a.members.count == 3)
        let expectedPSK = PreSharedKeyID.Kind.resumption(usage: .reinit, groupID: old[0].groupID, epoch: old[0].epoch)
        #expect(result.changes.preSharedKeys.map(\.kind) == [expectedPSK])
        #expect(result.changes.preSharedKeys.first?.nonce.count == 32)

        let welcomeMessage = try #require(result.welcome)
        guard case .welcome(let welcome) = welcomeMessage.body else {
            Issue.record("not a Welcome")
            return
        }
        #expect(welcome.cipherSuite == Self.newSuite)
        let decrypted = try welcome.decrypt(
            for: packages[0].keyPackage, initPrivateKey: packages[0].secrets.initPrivateKey,
            preSharedKeys: InMemoryPreSharedKeyStore(resumption: [old[1].groupID: [old[1].epoch: old[1].resumptionPSK]]))
        #expect(decrypted.groupSecrets.psks.map(\.kind) == [expectedPSK])
        #expect(decrypted.groupInfo.groupContext.epoch == 1)

        var b = try MLSGroup.join(welcome: welcomeMessage, keyPackage: packages[0], reinitializing: old[1])
        // c restores its old group from storage first: the reinitialized state survives the codec.
        let cOld = try MLSGroup(serializedState: old[2].serializedState(), configuration: MLSGroupConfiguration())
        #expect(cOld.status == .reinitialized(proposal))
        var c = try MLSGroup.join(welcome: welcome, keyPackage: packages[1], reinitializing: cOld)

        for group in [b, c] {
            #expect(group.epoch == 1)
            #expect(group.groupID == Self.newGroupID)
            #expect(group.cipherSuite == Self.newSuite)
            #expect(group.epochAuthenticator == a.epochAuthenticator)
            #expect(try group.export(label: "reinit", context: [7], length: 32)
                == a.export(label: "reinit", context: [7], length: 32))
        }
        #expect(a.epochAuthenticator != old[0].epochAuthenticator)

        let hello = try a.encrypt(Array("hello".utf8))
        #expect(try b.decrypt(hello).data == Array("hello".utf8))
        #expect(try c.decrypt(hello).data == Array("hello".utf8))
        let reply = try b.encrypt(Array("hi".utf8))
        #expect(try a.decrypt(reply).data == Array("hi".utf8))
        #expect(try c.decrypt(reply).data == Array("hi".utf8))
        let fromC = try c.encrypt([3])
        #expect(try a.decrypt(fromC).data == [3])

        // The new group goes on as any other.
        let update = try c.commit(options: CommitOptions(pathPolicy: .always))
        try c.mergePendingCommit()
        _ = try a.process(update.commit)
        _ = try b.process(update.commit)
        #expect(Set([a, b, c].map(\.epochAuthenticator)).count == 1)
        #expect(a.epoch == 2)

        // The old group refuses further use.
        var oldA = old[0]
        #expect(throws: MLSGroupError.groupReinitialized(proposal)) { try oldA.encrypt([1]) }
        #expect(throws: MLSGroupError.groupReinitialized(proposal)) { try oldA.commit() }
        #expect(throws: MLSGroupError.groupReinitialized(proposal)) { try oldA.proposeRemove(LeafIndex(1)) }
    }

    @Test("a group of one reinitializes without a Welcome")
    func reinitializeAlone() throws {
        var group = try MLSGroup.create(suite: F.suiteID, identity: F.identity("solo"))
        _ = try group.propose(.reInit(ReInitProposal(groupID: [5], cipherSuite: Self.newSuite)))
        _ = try group.commit()
        try group.mergePendingCommit()
        let result = try MLSGroup.reinitialize(from: group, keyPackages: [], identity: Self.newIdentity("solo"))
        #expect(result.welcome == nil)
        #expect(result.group.epoch == 1)
        #expect(result.group.groupID == [5])
        #expect(result.group.cipherSuite == Self.newSuite)
    }

    // MARK: Committer side

    @Test("reinitialize refuses a group whose last Commit carried no ReInit")
    func reinitializeActiveGroup() throws {
        let groups = try F.group(["a", "b"])
        let packages = try Self.newPackages(["b"])
        #expect(throws: MLSGroupError.groupNotReinitialized) {
            try MLSGroup.reinitialize(from: groups[0], keyPackages: packages.map(\.keyPackage), identity: Self.newIdentity("a"))
        }
    }

    @Test("reinitialize refuses KeyPackages that leave out an old member")
    func reinitializeMissingMember() throws {
        let (old, _, _) = try Self.reinitializedTrio()
        let onlyB = try Self.newPackages(["b"])
        #expect(throws: MLSGroupError.invalidReinitialization(.memberMissing(.basic(identity: Array("c".utf8))))) {
            try MLSGroup.reinitialize(from: old[0], keyPackages: onlyB.map(\.keyPackage), identity: Self.newIdentity("a"))
        }
        let withStranger = try Self.newPackages(["b", "mallory"])
        #expect(throws: MLSGroupError.invalidReinitialization(.memberMissing(.basic(identity: Array("c".utf8))))) {
            try MLSGroup.reinitialize(from: old[0], keyPackages: withStranger.map(\.keyPackage), identity: Self.newIdentity("a"))
        }
        // The reinitializer itself is an old member too.
        let bAndC = try Self.newPackages()
        #expect(throws: MLSGroupError.invalidReinitialization(.memberMissing(.basic(identity: Array("a".utf8))))) {
            try MLSGroup.reinitialize(from: old[0], keyPackages: bAndC.map(\.keyPackage), identity: Self.newIdentity("eve"))
        }
    }

    // MARK: Reinit and branch PSKs elsewhere

    @Test("a normal Commit or proposal with a reinit or branch resumption PSK is refused, sent or received")
    func reinitPSKInNormalCommit() throws {
        var groups = try F.group(["a", "b"])
        for usage in [ResumptionPSKUsage.reinit, .branch] {
            let id = PreSharedKeyID(kind: .resumption(usage: usage, groupID: groups[0].groupID, epoch: groups[0].epoch),
                                    nonce: [UInt8](repeating: 1, count: 32))
            #expect(throws: MLSGroupError.invalidProposal(.preSharedKeyUsageNotAllowed)) {
                try groups[0].commit(proposals: [.preSharedKey(PreSharedKeyProposal(psk: id))])
            }
            #expect(throws: MLSGroupError.invalidProposal(.preSharedKeyUsageNotAllowed)) {
                try groups[0].proposePreSharedKey(id)
            }
            #expect(!groups[0].hasPendingCommit)
        }
        // A Commit made with the PSK permitted (as only a successor group's first Commit may be)
        // is refused by the member who receives it (Section 12.4.2).
        let id = PreSharedKeyID(kind: .resumption(usage: .reinit, groupID: groups[0].groupID, epoch: groups[0].epoch),
                                nonce: [UInt8](repeating: 2, count: 32))
        let bundle = try groups[0].createCommit(inline: [.preSharedKey(PreSharedKeyProposal(psk: id))], options: CommitOptions(),
                                                reInitPSK: PreSharedKey(id: id, secret: groups[0].resumptionPSK))
        let epochBefore = groups[1].epoch
        #expect(throws: MLSGroupError.invalidProposal(.preSharedKeyUsageNotAllowed)) { try groups[1].process(bundle.commit) }
        #expect(groups[1].epoch == epochBefore)
    }

    @Test("a plain join refuses a successor group's Welcome, even with the PSK in the store")
    func plainJoinRefusesReinitWelcome() throws {
        let (old, _, _) = try Self.reinitializedTrio()
        let packages = try Self.newPackages()
        let result = try MLSGroup.reinitialize(from: old[0], keyPackages: packages.map(\.keyPackage),
                                               identity: Self.newIdentity("a"))
        let store = InMemoryPreSharedKeyStore(resumption: [old[1].groupID: [old[1].epoch: old[1].resumptionPSK]])
        #expect(throws: MLSGroupError.invalidProposal(.preSharedKeyUsageNotAllowed)) {
            try MLSGroup.join(welcome: try #require(result.welcome), keyPackage: packages[0],
                              configuration: MLSGroupConfiguration(preSharedKeys: store))
        }
    }

    // MARK: Joiner side

    @Test("joining refuses an old group that has not merged the ReInit Commit")
    func joinWithActiveOldGroup() throws {
        let (old, bBeforeCommit, _) = try Self.reinitializedTrio()
        let packages = try Self.newPackages()
        let result = try MLSGroup.reinitialize(from: old[0], keyPackages: packages.map(\.keyPackage),
                                               identity: Self.newIdentity("a"))
        let welcome = try #require(result.welcome)
        #expect(bBeforeCommit.status == .active)
        #expect(throws: MLSGroupError.groupNotReinitialized) {
            try MLSGroup.join(welcome: welcome, keyPackage: packages[0], reinitializing: bBeforeCommit)
        }
        // The same Welcome is fine with the merged old group.
        _ = try MLSGroup.join(welcome: welcome, keyPackage: packages[0], reinitializing: old[1])
    }

    @Test("joining refuses a successor group whose parameters differ from the ReInit")
    func joinWithOtherParameters() throws {
        let (old, _, proposal) = try Self.reinitializedTrio()
        var otherID = proposal
        otherID.groupID = Array("elsewhere".utf8)
        var otherSuite = proposal
        otherSuite.cipherSuite = F.suiteID
        var otherExtensions = proposal
        otherExtensions.extensions = []
        let cases: [(ReInitProposal, ReInitViolation)] = [
            (otherID, .groupIDMismatch), (otherSuite, .cipherSuiteMismatch), (otherExtensions, .extensionsMismatch),
        ]
        for (parameters, violation) in cases {
            let suite = parameters.cipherSuite
            let packages = try ["b", "c"].map { try F.keyPackage($0, suite: suite) }
            let result = try Self.reinitialize(old[0], packages: packages, identity: F.identity("a", suite: suite),
                                               parameters: parameters)
            #expect(result.group.groupID == parameters.groupID, "the loosened path builds what it was asked")
            #expect(throws: MLSGroupError.invalidReinitialization(violation)) {
                try MLSGroup.join(welcome: try #require(result.welcome), keyPackage: packages[0], reinitializing: old[1])
            }
        }
    }

    @Test("joining refuses a successor group that lacks an old member")
    func joinWithMissingMember() throws {
        let (old, _, _) = try Self.reinitializedTrio()
        let packages = try Self.newPackages(["b", "mallory"])
        let result = try Self.reinitialize(old[0], packages: packages, identity: Self.newIdentity("a"), checksMembers: false)
        #expect(throws: MLSGroupError.invalidReinitialization(.memberMissing(.basic(identity: Array("c".utf8))))) {
            try MLSGroup.join(welcome: try #require(result.welcome), keyPackage: packages[0], reinitializing: old[1])
        }
    }

    @Test("joining refuses a reinit PSK of another epoch of the old group")
    func joinWithPSKOfOtherEpoch() throws {
        let (old, _, _) = try Self.reinitializedTrio()
        let packages = try Self.newPackages()
        let staleEpoch = old[0].epoch - 1
        let result = try Self.reinitialize(old[0], packages: packages, identity: Self.newIdentity("a"), pskEpoch: staleEpoch)
        let staleID = try #require(result.changes.preSharedKeys.first)
        #expect(staleID.kind == .resumption(usage: .reinit, groupID: old[0].groupID, epoch: staleEpoch))
        #expect(throws: MLSGroupError.invalidReinitialization(.preSharedKeyMismatch(staleID))) {
            try MLSGroup.join(welcome: try #require(result.welcome), keyPackage: packages[0], reinitializing: old[1])
        }
    }

    @Test("joining refuses a Welcome with the right parameters but no reinit PSK")
    func joinWithoutReinitPSK() throws {
        let (old, _, proposal) = try Self.reinitializedTrio()
        var creator = try MLSGroup.create(groupID: proposal.groupID, suite: proposal.cipherSuite, identity: Self.newIdentity("a"),
                                          groupContextExtensions: proposal.extensions)
        let packages = try Self.newPackages()
        let bundle = try creator.commit(adding: packages.map(\.keyPackage))
        #expect(throws: MLSGroupError.invalidReinitialization(.missingReInitPSK)) {
            try MLSGroup.join(welcome: try #require(bundle.welcome), keyPackage: packages[0], reinitializing: old[1])
        }
    }

    /// The loosened internal path, with the public defaults otherwise.
    static func reinitialize(_ old: MLSGroup, packages: [KeyPackageBundle], identity: MLSSigningIdentity,
                             parameters: ReInitProposal? = nil, pskEpoch: UInt64? = nil,
                             checksMembers: Bool = true) throws -> ReinitializedGroup {
        try MLSGroup.reinitialize(from: old, keyPackages: packages.map(\.keyPackage), identity: identity, capabilities: nil,
                                  lifetime: nil, leafExtensions: [], options: CommitOptions(), configuration: nil,
                                  overriding: parameters, pskEpoch: pskEpoch, checksMembers: checksMembers)
    }
}
