import Testing
import TacitMLS
@testable import TacitClient

@Suite struct MemberRosterTests {
    func member(_ leaf: UInt32, _ username: String, _ device: DeviceID) -> GroupMember {
        let identity = TacitClient.memberIdentity(username: username, deviceID: device)
        let leafNode = LeafNode(encryptionKey: [UInt8](repeating: UInt8(leaf), count: 32),
                                signatureKey: [UInt8](repeating: UInt8(leaf), count: 32),
                                credential: .basic(identity: identity), capabilities: .tacitDefault(),
                                source: .keyPackage(Lifetime(notBefore: 0, notAfter: 1)), extensions: [])
        return GroupMember(index: LeafIndex(rawValue: leaf), leaf: leafNode)
    }

    @Test func readsAccountsAndDevicesFromCredentials() {
        let roster = MemberRoster([member(0, "alice", 10), member(1, "bob", 20), member(3, "alice", 11)])
        #expect(roster.accounts == ["alice", "bob"])
        #expect(roster.devices(except: 10) == [20, 11])
        #expect(roster.leaves(of: ["alice"]) == [LeafIndex(rawValue: 0), LeafIndex(rawValue: 3)])
        #expect(roster.leaves(ofDevice: 20) == [LeafIndex(rawValue: 1)])
        #expect(roster.contains(device: 11))
        #expect(!roster.contains(account: "carol"))
    }

    @Test func oneDesignatedCommitterForALeaver() {
        let roster = MemberRoster([member(0, "alice", 10), member(1, "bob", 20), member(2, "carol", 30)])
        #expect(roster.designatedCommitter(excluding: ["alice"]) == 20)
        #expect(roster.designatedCommitter(excluding: ["bob"]) == 10)
        #expect(roster.designatedCommitter(excluding: ["alice", "bob", "carol"]) == nil)
    }

    @Test func foreignCredentialsAreNeverAddressed() {
        var stranger = member(5, "x", 1)
        stranger.credential = .basic(identity: [0xFF, 0x00])
        let roster = MemberRoster([member(0, "alice", 10), stranger])
        #expect(roster.devices == [10])
        #expect(roster.unknownLeaves == [LeafIndex(rawValue: 5)])
    }
}
