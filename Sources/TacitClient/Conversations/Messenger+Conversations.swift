import Foundation
import Logging
import TacitMLS

extension Messenger {
    /// Creates a group conversation with `members` (all their devices, and this account's
    /// other devices) and returns it once they are added.
    @discardableResult
    public func createGroup(name: String, members: [String] = [], avatar: String? = nil,
                            disappearingAfter: Duration? = nil) async throws(MessengerError) -> ConversationID {
        let metadata = ConversationMetadata(kind: .group, name: name, avatar: avatar,
                                            disappearingAfter: disappearingAfter, createdBy: username)
        let id = try createLocalConversation(metadata: metadata, peer: nil)
        try await addAccounts(Set(members).union([username]), to: id, requireDevices: Set(members).subtracting([username]))
        return id
    }

    /// Adds accounts (all their devices) to a conversation.
    public func addMembers(_ usernames: [String], to id: ConversationID) async throws(MessengerError) {
        _ = try activeGroup(id)
        try await addAccounts(Set(usernames), to: id, requireDevices: Set(usernames).subtracting([username]))
    }

    /// Removes accounts (all their devices) from a conversation. They cannot read anything
    /// sent after.
    public func removeMembers(_ usernames: [String], from id: ConversationID) async throws(MessengerError) {
        let accounts = Set(usernames).subtracting([username])
        try await commitRepeatedly(in: id) { group, _ in
            let leaves = MemberRoster(group: group).leaves(of: accounts)
            return leaves.isEmpty ? nil : CommitPlan(removes: leaves)
        }
    }

    /// Leaves a conversation on every device of this account. The other members are told,
    /// and one of their devices commits the removal.
    public func leave(_ id: ConversationID) async throws(MessengerError) {
        _ = try activeGroup(id)
        try await send(.leave, in: id)
        try await exclusively { () async throws(MessengerError) in try close(id, as: .left) }
    }

    /// Renames a group.
    public func rename(_ id: ConversationID, to name: String) async throws(MessengerError) {
        try await updateMetadata(id) { $0.name = name }
    }

    /// Sets (or with nil removes) a group's avatar reference.
    public func setAvatar(_ id: ConversationID, to avatar: String?) async throws(MessengerError) {
        try await updateMetadata(id) { $0.avatar = avatar }
    }

    /// Sets the disappearing-message timer of a conversation (nil: messages stay).
    public func setDisappearingTimer(_ id: ConversationID, to duration: Duration?) async throws(MessengerError) {
        try await updateMetadata(id) { $0.disappearingAfter = duration }
    }

    // MARK: Internals

    /// Makes a one-member MLS group for a new conversation and stores it.
    func createLocalConversation(metadata: ConversationMetadata, peer: String?) throws(MessengerError) -> ConversationID {
        let identity = signingIdentity
        let capabilities = leafCapabilities
        let configuration = groupConfiguration
        let group = try Self.mls { () throws(MLSGroupError) in
            try MLSGroup.create(suite: .mls128X25519AES128GCMSHA256Ed25519, identity: identity, capabilities: capabilities,
                                groupContextExtensions: [metadata.groupContextExtension], configuration: configuration)
        }
        let id = ConversationID(bytes: group.groupID)
        let now = Date()
        let conversation = Conversation(id: id, metadata: metadata, status: .active, members: [username], peer: peer,
                                        epoch: group.epoch, createdAt: now, updatedAt: now, unreadCount: 0,
                                        pendingLeavers: [])
        try store.write { db in
            try store.saveGroup(group, in: db)
            try store.saveConversation(conversation, in: db)
        }
        groups[id] = group
        conversationsByID[id] = conversation
        emit([.conversationUpdated(conversation)])
        return id
    }

    /// Adds every verified device of `accounts` that is not in the group yet. Fails with
    /// ``MessengerError/noDevices(_:)`` when an account in `requireDevices` ends up with none.
    func addAccounts(_ accounts: Set<String>, to id: ConversationID, requireDevices: Set<String>) async throws(MessengerError) {
        var targets: [(username: String, device: DeviceInfo)] = []
        for account in accounts.sorted() {
            if isBlocked(account) { throw .blocked(account) }
            let devices: AccountDevices
            if account == username {
                devices = try await clientCall { () async throws(ClientError) in try await client.devices() }
            } else {
                devices = try await clientCall { () async throws(ClientError) in try await client.lookup(username: account) }
            }
            for device in devices.devices where device.id != deviceID { targets.append((account, device)) }
        }
        let roster = try MemberRoster(group: activeGroup(id).0)
        targets.removeAll { roster.contains(device: $0.device.id) }
        let packages = try await claimVerifiedKeyPackages(for: targets)
        let batch = options.maximumAddsPerCommit
        try await commitRepeatedly(in: id) { group, conversation in
            let roster = MemberRoster(group: group)
            let missing = packages.filter { !roster.contains(device: $0.key) }.sorted { $0.key < $1.key }
            let removes = roster.leaves(of: Set(conversation.pendingLeavers))
            guard !missing.isEmpty else { return nil }
            return CommitPlan(adds: missing.prefix(batch).map(\.value), removes: removes)
        }
        let final = try MemberRoster(group: activeGroup(id).0)
        for account in requireDevices.sorted() where !final.contains(account: account) {
            throw .noDevices(account)
        }
    }

    /// Commits a change of the conversation's settings (if it changes anything).
    func updateMetadata(_ id: ConversationID, _ change: (inout ConversationMetadata) -> Void) async throws(MessengerError) {
        try await commitRepeatedly(in: id) { group, conversation in
            let current = ConversationMetadata(extensions: group.groupContext.extensions) ?? conversation.metadata
            var updated = current
            change(&updated)
            return updated == current ? nil : CommitPlan(metadata: updated)
        }
    }

    /// Commits the removal of accounts that announced they leave (run by the designated device).
    func removePendingLeavers(in id: ConversationID) async throws(MessengerError) {
        try await commitRepeatedly(in: id) { group, conversation in
            let leaves = MemberRoster(group: group).leaves(of: Set(conversation.pendingLeavers).subtracting([username]))
            return leaves.isEmpty ? nil : CommitPlan(removes: leaves)
        }
    }

    /// Ends this device's part in a conversation locally: the MLS state is deleted (so
    /// nothing later can be read), the history stays.
    func close(_ id: ConversationID, as status: Conversation.Status) throws(MessengerError) {
        guard var conversation = conversationsByID[id] else { throw .unknownConversation(id) }
        conversation.status = status
        conversation.updatedAt = Date()
        try store.write { db in
            try store.deleteGroup(id, in: db)
            try store.saveConversation(conversation, in: db)
        }
        groups[id] = nil
        conversationsByID[id] = conversation
        deferred[id] = nil
        emit([.conversationUpdated(conversation)])
    }
}
