import Foundation

/// A conversation as this device knows it: an MLS group with its shared settings and members.
public struct Conversation: Sendable, Equatable, Codable, Identifiable {
    /// Where this device stands in the conversation.
    public enum Status: Int, Sendable, Codable {
        /// A member: can read and send.
        case active = 0
        /// This account left.
        case left = 1
        /// Another member removed this account (or this device).
        case removed = 2
        /// A contact request this account declined, or a conversation with a blocked account.
        case closed = 3
    }

    public var id: ConversationID
    public var metadata: ConversationMetadata
    public var status: Status
    /// The accounts in the conversation (this one included), sorted.
    public var members: [String]
    /// For a direct conversation: the other account.
    public var peer: String?
    /// The MLS epoch this device is in.
    public var epoch: UInt64
    public var createdAt: Date
    /// When a message or change last arrived.
    public var updatedAt: Date
    /// Messages from others not yet marked read.
    public var unreadCount: Int
    /// Accounts that announced they leave; removed by the next commit.
    var pendingLeavers: [String]

    /// What to show as the conversation's title: the group name, else the peer, else the members.
    public var title: String {
        if !metadata.name.isEmpty { return metadata.name }
        if let peer { return peer }
        return members.joined(separator: ", ")
    }

    public var isDirect: Bool { metadata.kind == .direct }
}
