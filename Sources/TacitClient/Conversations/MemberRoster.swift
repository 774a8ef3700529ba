import TacitMLS

/// Who is in an MLS group, read from its leaves' credentials (`username` + device id, see
/// ``TacitClient/memberIdentity(username:deviceID:)``). Leaves with other credentials are
/// listed under ``unknownLeaves`` and never addressed.
struct MemberRoster: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var leaf: LeafIndex
        var username: String
        var deviceID: DeviceID
    }

    var entries: [Entry]
    var unknownLeaves: [LeafIndex]

    init(_ members: [GroupMember]) {
        var entries: [Entry] = []
        var unknown: [LeafIndex] = []
        for member in members {
            if case .basic(let identity) = member.credential,
               let parsed = TacitClient.parseMemberIdentity(identity) {
                entries.append(Entry(leaf: member.index, username: parsed.username, deviceID: parsed.deviceID))
            } else {
                unknown.append(member.index)
            }
        }
        self.entries = entries
        unknownLeaves = unknown
    }

    init(group: MLSGroup) {
        self.init(group.members)
    }

    /// The accounts, sorted.
    var accounts: [String] { Array(Set(entries.map(\.username))).sorted() }
    /// Every member device.
    var devices: [DeviceID] { entries.map(\.deviceID) }

    func devices(except device: DeviceID) -> [DeviceID] { devices.filter { $0 != device } }
    func leaves(of usernames: Set<String>) -> [LeafIndex] { entries.filter { usernames.contains($0.username) }.map(\.leaf) }
    func leaves(ofDevice device: DeviceID) -> [LeafIndex] { entries.filter { $0.deviceID == device }.map(\.leaf) }
    func contains(device: DeviceID) -> Bool { entries.contains { $0.deviceID == device } }
    func contains(account: String) -> Bool { entries.contains { $0.username == account } }
    func entry(at leaf: LeafIndex) -> Entry? { entries.first { $0.leaf == leaf } }

    /// The device that commits the removal of an account that announced it leaves: the
    /// remaining device at the lowest leaf, so one device does it.
    func designatedCommitter(excluding accounts: Set<String>) -> DeviceID? {
        entries.filter { !accounts.contains($0.username) }.min { $0.leaf.rawValue < $1.leaf.rawValue }?.deviceID
    }
}
