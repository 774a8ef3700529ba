import Foundation

/// This account's profile, shared only with accepted contacts, in the direct conversation
/// with each (never in groups, never with the server).
extension Messenger {
    /// The profile this account shares with its contacts.
    public func profile() throws(MessengerError) -> Profile? {
        try store.sealedValue(Profile.self, key: "profile")
    }

    /// Changes the profile and sends it to every accepted contact.
    public func setProfile(_ profile: Profile) async throws(MessengerError) {
        try store.setSealedValue(profile, key: "profile")
        for contact in contacts() where contact.state == .accepted {
            guard let id = contact.conversationID, conversationsByID[id]?.status == .active else { continue }
            try await send(.profile(profile), in: id)
        }
    }

    /// Sends the profile into a direct conversation with an accepted contact.
    func sendProfile(to id: ConversationID) async throws(MessengerError) {
        guard let profile = try profile(), let conversation = conversationsByID[id], conversation.isDirect,
              let peer = conversation.peer, contactsByName[peer]?.state == .accepted else { return }
        try await send(.profile(profile), in: id)
    }
}
