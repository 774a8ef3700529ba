import Foundation

/// Another account as this account knows it. Contacts live only on this account's devices;
/// the server never learns them.
public struct Contact: Sendable, Equatable, Codable, Identifiable {
    public enum State: String, Sendable, Codable {
        /// This account asked; no answer yet.
        case outgoingRequest
        /// They asked; this account has not answered.
        case incomingRequest
        /// Both agreed: profiles are shared.
        case accepted
        /// This account declined their request, or they declined ours.
        case declined
        /// Removed from the contacts (the direct conversation is left).
        case removed
        /// Blocked: this account's devices drop everything from them.
        case blocked
    }

    public var username: String
    public var state: State
    /// Their profile, as they shared it (only once accepted).
    public var profile: Profile?
    /// The direct conversation with them.
    public var conversationID: ConversationID?
    public var updatedAt: Date

    public var id: String { username }
    /// The display name if they shared one, else the username.
    public var displayName: String {
        if let name = profile?.displayName, !name.isEmpty { return name }
        return username
    }
}
