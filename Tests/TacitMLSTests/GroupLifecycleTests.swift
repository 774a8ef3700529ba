import Testing
import TacitMLS

@Suite("Group lifecycle")
struct GroupLifecycleTests {
    typealias F = GroupFixtures

    @Test("create, add by value, join from Welcome, exchange messages, agree on every secret")
    func addAndMessage() throws {
        var alice = try MLSGroup.create(suite: F.suiteID, identity: F.identity("alice"))
        #expect(alice.epoch == 0)
        #expect(alice.members.count == 1)
        let bobPackage = try F.keyPackage("bob")
        let bundle = try alice.commit(adding: [bobPackage.keyPackage])
        #expect(alice.epoch == 0, "a Commit is pending until merged")
        #expect(bundle.changes.added.map(\.credential) == [.basic(identity: Array("bob".utf8))])
        let merged = try alice.mergePendingCommit()
        #expect(merged.epoch == 1)
        #expect(alice.epoch == 1)

        let welcome = try #require(bundle.welcome)
        var bob = try MLSGroup.join(welcome: welcome, keyPackage: bobPackage)
        #expect(bob.epoch == 1)
        #expect(bob.ownLeafIndex == LeafIndex(1))
        #expect(bob.epochAuthenticator == alice.epochAuthenticator)
        #expect(try bob.export(label: "test", context: [1, 2], length: 32) == alice.export(label: "test", context: [1, 2], length: 32))
        #expect(bob.members.map(\.index) == [LeafIndex(0), LeafIndex(1)])

        let message = try alice.encrypt(Array("hello".utf8), authenticatedData: [9])
        let received = try bob.decrypt(message)
        #expect(received.data == Array("hello".utf8))
        #expect(received.authenticatedData == [9])
        #expect(received.sender.index == LeafIndex(0))
        let reply = try bob.encrypt(Array("hi".utf8))
        #expect(try alice.decrypt(reply).data == Array("hi".utf8))
    }

    @Test("proposals by reference from several members, committed by another, in public and private framing")
    func proposalsByReference() throws {
        for wireFormat in [WireFormat.publicMessage, .privateMessage] {
            let configuration = MLSGroupConfiguration(handshakeWireFormat: wireFormat)
            var groups = try F.group(["a", "b", "c"], configuration: configuration)
            let dave = try F.keyPackage("dave")
            let add = try groups[1].proposeAdd(dave.keyPackage)
            let update = try groups[2].proposeUpdate()
            let remove = try groups[0].proposeRemove(LeafIndex(1))
            for (sender, message) in [(1, add), (2, update), (0, remove)] {
                for index in groups.indices where index != sender {
                    guard case .proposal = try groups[index].process(message) else {
                        Issue.record("not a proposal")
                        return
                    }
                }
            }
            #expect(throws: MLSGroupError.pendingProposalsMustBeCommitted) { try groups[0].encrypt([1]) }
            let bundle = try groups[0].commit()
            #expect(bundle.changes.added.count == 1)
            #expect(bundle.changes.removed.map(\.index) == [LeafIndex(1)])
            #expect(bundle.changes.updated.map(\.index) == [LeafIndex(2)])
            try groups[0].mergePendingCommit()
            guard case .commit(let changes) = try groups[2].process(bundle.commit) else {
                Issue.record("not a commit")
                return
            }
            #expect(changes.updated.map(\.index) == [LeafIndex(2)])
            guard case .commit(let removal) = try groups[1].process(bundle.commit) else {
                Issue.record("not a commit")
                return
            }
            #expect(removal.removedSelf)
            #expect(groups[1].status == .removed)
            var daveGroup = try MLSGroup.join(welcome: try #require(bundle.welcome), keyPackage: dave, configuration: configuration)
            #expect(daveGroup.ownLeafIndex == LeafIndex(1), "the removed leaf is reused")
            #expect(daveGroup.epochAuthenticator == groups[0].epochAuthenticator)
            #expect(groups[2].epochAuthenticator == groups[0].epochAuthenticator)
            let message = try daveGroup.encrypt([42])
            #expect(try groups[2].decrypt(message).data == [42])
            #expect(try groups[0].decrypt(message).data == [42])
        }
    }

    @Test("join with the tree given out of band when the Welcome lacks it")
    func joinWithExternalTree() throws {
        var alice = try MLSGroup.create(suite: F.suiteID, identity: F.identity("alice"))
        let bob = try F.keyPackage("bob")
        let bundle = try alice.commit(adding: [bob.keyPackage], options: CommitOptions(ratchetTreeInWelcome: false))
        try alice.mergePendingCommit()
        let welcome = try #require(bundle.welcome)
        #expect(throws: MLSGroupError.missingRatchetTree) { try MLSGroup.join(welcome: welcome, keyPackage: bob) }
        let group = try MLSGroup.join(welcome: welcome, keyPackage: bob, ratchetTree: alice.ratchetTree)
        #expect(group.epochAuthenticator == alice.epochAuthenticator)
    }

    @Test("external Commit: join from a GroupInfo, and resync replacing an old leaf")
    func externalCommit() throws {
        var groups = try F.group(["a", "b"])
        guard case .groupInfo(let info) = try groups[0].groupInfo().body else {
            Issue.record("not a GroupInfo")
            return
        }
        let carol = try F.identity("carol")
        let join = try MLSGroup.joinByExternalCommit(groupInfo: info, identity: carol)
        var carolGroup = join.group
        for index in groups.indices {
            guard case .commit(let changes) = try groups[index].process(join.commit) else {
                Issue.record("not a commit")
                return
            }
            #expect(changes.committer == .newMemberCommit)
            #expect(changes.added.map(\.index) == [LeafIndex(2)])
            #expect(groups[index].epochAuthenticator == carolGroup.epochAuthenticator)
        }
        #expect(try groups[1].decrypt(try carolGroup.encrypt([7])).data == [7])

        // Bob lost his state and rejoins, removing his old leaf.
        guard case .groupInfo(let info2) = try groups[0].groupInfo(options: GroupInfoOptions(includeRatchetTree: false)).body else {
            Issue.record("not a GroupInfo")
            return
        }
        let bobIdentity = MLSSigningIdentity(credential: .basic(identity: Array("b".utf8)),
                                             signatureKeyPair: try F.identity("b").signatureKeyPair)
        let rejoin = try MLSGroup.joinByExternalCommit(groupInfo: info2, ratchetTree: groups[0].ratchetTree,
                                                       identity: bobIdentity, removing: LeafIndex(1))
        guard case .commit(let changes) = try groups[0].process(rejoin.commit),
              case .commit = try carolGroup.process(rejoin.commit) else {
            Issue.record("not a commit")
            return
        }
        #expect(changes.removed.map(\.index) == [LeafIndex(1)])
        #expect(changes.added.map(\.index) == [LeafIndex(1)])
        #expect(rejoin.group.epochAuthenticator == groups[0].epochAuthenticator)
        #expect(carolGroup.epochAuthenticator == groups[0].epochAuthenticator)
        guard case .commit(let oldBob) = try groups[1].process(rejoin.commit) else {
            Issue.record("not a commit")
            return
        }
        #expect(oldBob.removedSelf)
        #expect(throws: MLSGroupError.removedFromGroup) { try groups[1].encrypt([1]) }
    }

    @Test("PSK and GroupContextExtensions proposals, resumption PSK of a past epoch")
    func pskAndExtensions() throws {
        let pskID = Array("shared".utf8)
        let store = InMemoryPreSharedKeyStore(external: [pskID: [UInt8](repeating: 7, count: 32)])
        let configuration = MLSGroupConfiguration(preSharedKeys: store)
        var groups = try F.group(["a", "b"], configuration: configuration)
        let psk = try groups[1].proposeExternalPSK(id: pskID)
        _ = try groups[0].process(psk)
        let required = Extension(RequiredCapabilitiesExtension(credentialTypes: [.basic]))
        let extensions = try groups[0].proposeGroupContextExtensions([required])
        _ = try groups[1].process(extensions)
        let epochBefore = groups[0].epoch
        let bundle = try groups[0].commit()
        #expect(bundle.changes.preSharedKeys.count == 1)
        #expect(bundle.changes.groupContextExtensions == [required])
        try groups[0].mergePendingCommit()
        _ = try groups[1].process(bundle.commit)
        #expect(groups[1].groupContext.extensions == [required])
        #expect(groups[1].epochAuthenticator == groups[0].epochAuthenticator)

        // A resumption PSK of the epoch before, which both still hold.
        let resumption = PreSharedKeyID(kind: .resumption(usage: .application, groupID: groups[0].groupID, epoch: epochBefore),
                                        nonce: [UInt8](repeating: 1, count: 32))
        let bundle2 = try groups[1].commit(proposals: [.preSharedKey(PreSharedKeyProposal(psk: resumption))])
        try groups[1].mergePendingCommit()
        _ = try groups[0].process(bundle2.commit)
        #expect(groups[1].epochAuthenticator == groups[0].epochAuthenticator)

        // A Welcome that needs a PSK the joiner lacks fails; with it, the join works.
        let carol = try F.keyPackage("carol")
        let bundle3 = try groups[0].commit(proposals: [.add(AddProposal(keyPackage: carol.keyPackage)),
                                                       .preSharedKey(PreSharedKeyProposal(psk: PreSharedKeyID(
                                                           kind: .external(pskID: pskID), nonce: [UInt8](repeating: 2, count: 32))))])
        try groups[0].mergePendingCommit()
        let welcome = try #require(bundle3.welcome)
        #expect(throws: MLSGroupError.self) { try MLSGroup.join(welcome: welcome, keyPackage: carol) }
        let carolGroup = try MLSGroup.join(welcome: welcome, keyPackage: carol, configuration: configuration)
        #expect(carolGroup.epochAuthenticator == groups[0].epochAuthenticator)
    }

    @Test("an empty Commit refreshes the committer's path; a forced path with adds works too")
    func emptyAndFullCommits() throws {
        var groups = try F.group(["a", "b", "c", "d", "e"])
        let before = groups[2].ratchetTree.leafNode(at: LeafIndex(2))?.encryptionKey
        let bundle = try groups[2].commit()
        try groups[2].mergePendingCommit()
        #expect(groups[2].ratchetTree.leafNode(at: LeafIndex(2))?.encryptionKey != before)
        for index in groups.indices where index != 2 { _ = try groups[index].process(bundle.commit) }
        #expect(Set(groups.map(\.epochAuthenticator)).count == 1)

        let frank = try F.keyPackage("frank")
        let bundle2 = try groups[4].commit(adding: [frank.keyPackage], options: CommitOptions(pathPolicy: .always))
        try groups[4].mergePendingCommit()
        for index in groups.indices where index != 4 { _ = try groups[index].process(bundle2.commit) }
        let frankGroup = try MLSGroup.join(welcome: try #require(bundle2.welcome), keyPackage: frank)
        #expect(Set((groups + [frankGroup]).map(\.epochAuthenticator)).count == 1)
    }

    @Test("ReInit ends the group for every member")
    func reInit() throws {
        var groups = try F.group(["a", "b"])
        let proposal = try groups[1].proposeReInit(groupID: [1, 2, 3], cipherSuite: F.suiteID)
        _ = try groups[0].process(proposal)
        let bundle = try groups[0].commit()
        #expect(bundle.changes.reInit != nil)
        try groups[0].mergePendingCommit()
        _ = try groups[1].process(bundle.commit)
        for group in groups {
            guard case .reinitialized(let reInit) = group.status else {
                Issue.record("not reinitialized")
                continue
            }
            #expect(reInit.groupID == [1, 2, 3])
        }
        #expect(throws: MLSGroupError.self) { try groups[0].encrypt([1]) }
    }
}
