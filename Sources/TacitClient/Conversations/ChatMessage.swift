import Foundation

/// One chat message as stored on this device, with everything that happened to it since:
/// edits, a recall, reactions, receipts.
public struct ChatMessage: Sendable, Equatable, Codable, Identifiable {
    /// How far an outgoing message got.
    public enum Status: Int, Sendable, Codable, Comparable {
        /// Encrypted and stored, not yet accepted by the server.
        case pending = 0
        /// The server stored it.
        case sent = 1
        /// A recipient device reported it delivered.
        case delivered = 2
        /// A recipient reported it read.
        case read = 3
        /// The server refused it for good.
        case failed = -1

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var id: MessageID
    public var conversationID: ConversationID
    /// The sending account.
    public var sender: String
    /// The sending device.
    public var senderDevice: DeviceID
    /// Sent by this account (from this or another of its devices).
    public var isOutgoing: Bool
    /// When the sender made it, by the sender's clock.
    public var sentAt: Date
    /// When the server accepted it (the ordering and recall-window clock).
    public var serverTime: Date
    /// The text (empty once recalled); for an attachment, its caption.
    public var text: String
    public var replyTo: MessageID?
    public var mentions: [String]
    /// When the sender last edited it; nil: never.
    public var editedAt: Date?
    /// Recalled by its sender for everyone.
    public var isRecalled: Bool
    /// Emoji → accounts that reacted with it.
    public var reactions: [String: [String]]
    public var status: Status
    /// Accounts that reported it read (for outgoing messages).
    public var readBy: [String]
    /// When it disappears from this device (the conversation's timer); nil: never.
    public var expiresAt: Date?
    /// The file, photo, voice message or video it carries; nil for a text message (and once
    /// recalled). Fetch it with ``Messenger/downloadAttachment(of:to:transferOptions:)``.
    public var attachment: MessageAttachment? = nil
}
