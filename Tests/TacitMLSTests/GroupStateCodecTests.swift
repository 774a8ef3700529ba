import Testing
import TacitMLS

@Suite("Group state serialization")
struct GroupStateCodecTests {
    typealias F = GroupFixtures

    static func roundTrip(_ group: MLSGroup) throws -> MLSGroup {
        let bytes = group.serializedState()
        let restored = try MLSGroup(serializedState: bytes, configuration: group.configuration)
        let identical = restored.serializedState() == bytes
        #expect(identical, "restored state re-encodes to the same bytes")
        return restored
    }

    @Test("round trip mid-conversation: skipped message keys, pending proposals, own Update key, pending Commit")
    func midConversation() throws {
        var groups = try F.group(["a", "b", "c"])
        // Out-of-order delivery leaves skipped keys in b's secret tree.
        let first = try groups[0].encrypt([1]), second = try groups[0].encrypt([2]), third = try groups[0].encrypt([3])
        #expect(try groups[1].decrypt(third).data == [3])
        groups[1] = try Self.roundTrip(groups[1])
        #expect(try groups[1].decrypt(first).data == [1])
        #expect(try groups[1].decrypt(second).data == [2])
        #expect(throws: MLSGroupError.secretTree(.generationAlreadyUsed(1))) { try groups[1].decrypt(second) }

        // c proposes an Update (its new leaf key lives only in its state), a proposes an Add.
        let update = try groups[2].proposeUpdate()
        let dave = try F.keyPackage("dave")
        let add = try groups[0].proposeAdd(dave.keyPackage)
        for (sender, message) in [(2, update), (0, add)] {
            for index in groups.indices where index != sender { _ = try groups[index].process(message) }
        }
        groups = try groups.map(Self.roundTrip)
        #expect(groups.allSatisfy { $0.pendingProposalList.count == 2 })

        // b commits; its pending Commit survives a restart before being merged.
        let bundle = try groups[1].commit()
        groups[1] = try Self.roundTrip(groups[1])
        #expect(groups[1].hasPendingCommit)
        try groups[1].mergePendingCommit()
        _ = try groups[0].process(bundle.commit)
        groups[2] = try Self.roundTrip(groups[2])
        guard case .commit(let changes) = try groups[2].process(bundle.commit) else { throw VectorFailure("not a commit") }
        #expect(changes.updated.map(\.index) == [LeafIndex(2)], "c's restored Update key was used")
        var daveGroup = try MLSGroup.join(welcome: try #require(bundle.welcome), keyPackage: dave)
        #expect(Set((groups + [daveGroup]).map(\.epochAuthenticator)).count == 1)

        // A restored member keeps talking, and the others read it.
        groups[2] = try Self.roundTrip(groups[2])
        let hello = try groups[2].encrypt(Array("back".utf8))
        #expect(try daveGroup.decrypt(hello).data == Array("back".utf8))
        #expect(try groups[0].decrypt(hello).data == Array("back".utf8))
    }

    @Test("a late application message of the previous epoch survives a restore")
    func pastEpochKeys() throws {
        var groups = try F.group(["a", "b"])
        let late = try groups[0].encrypt([9])
        let bundle = try groups[0].commit()
        try groups[0].mergePendingCommit()
        _ = try groups[1].process(bundle.commit)
        groups[1] = try Self.roundTrip(groups[1])
        let message = try groups[1].decrypt(late)
        #expect(message.data == [9])
        #expect(message.epoch == 1)
    }

    @Test("a removed member's state round-trips and stays removed")
    func removedState() throws {
        var groups = try F.group(["a", "b"])
        let bundle = try groups[0].commit(adding: [], removing: [LeafIndex(1)])
        try groups[0].mergePendingCommit()
        _ = try groups[1].process(bundle.commit)
        let restored = try Self.roundTrip(groups[1])
        #expect(restored.status == .removed)
    }

    @Test("equal states encode to equal bytes; the encoding names its format")
    func deterministic() throws {
        let groups = try F.group(["a", "b"])
        #expect(groups[0].serializedState() == groups[0].serializedState())
        #expect(Array(groups[0].serializedState().prefix(4)) == Array("TMLS".utf8))
        #expect(groups[0].serializedState() != groups[1].serializedState())
    }
}
