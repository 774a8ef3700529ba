import Foundation

/// What one MLS application message says, as the app sees it (the `Message` of content.proto).
public enum ChatContent: Sendable, Equatable {
    /// A text message, optionally replying to another and mentioning usernames.
    case text(String, replyTo: MessageID?, mentions: [String])
    /// Adds (or, with `remove`, takes back) a reaction to a message.
    case reaction(target: MessageID, emoji: String, remove: Bool)
    /// Replaces the text of one of the sender's own messages.
    case edit(target: MessageID, text: String, mentions: [String])
    /// Recalls one of the sender's own messages for everyone (within the recall window).
    case recall(target: MessageID)
    /// Delivery or read receipts.
    case receipt(ReceiptKind, targets: [MessageID])
    /// The sender started or stopped typing.
    case typing(active: Bool)
    /// The sender's profile (only between contacts).
    case profile(Profile)
    /// Opens a direct conversation as a contact request.
    case contactRequest(inviteToken: String?, note: String)
    /// Accepts or declines a contact request.
    case contactResponse(accepted: Bool)
    /// The sender's account leaves the conversation.
    case leave
    /// A file, photo, voice message or video (already uploaded, encrypted), optionally
    /// replying to another message.
    case attachment(MessageAttachment, replyTo: MessageID?)
}

/// Which receipt a ``ChatContent/receipt(_:targets:)`` is.
public enum ReceiptKind: String, Sendable, Codable, Hashable {
    case delivered
    case read
}

/// One message as sent: its id, the sender's clock, and its content.
public struct ContentEnvelope: Sendable, Equatable {
    public var id: MessageID
    /// When the sender made it, by the sender's clock.
    public var sentAt: Date
    public var content: ChatContent

    public init(id: MessageID = .random(), sentAt: Date = Date(), content: ChatContent) {
        self.id = id
        self.sentAt = sentAt
        self.content = content
    }
}

/// Why message content did not decode.
public enum ContentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a `Message` protobuf.
    case malformed(String)
    /// The id is not 16 bytes.
    case badMessageID
    /// The message has no body this client knows (from a newer client, or empty).
    case unsupportedBody
    /// A field is longer than allowed.
    case tooLong(String)

    public var description: String {
        switch self {
        case .malformed(let why): "malformed message content: \(why)"
        case .badMessageID: "message id is not 16 bytes"
        case .unsupportedBody: "message content of a kind this client does not know"
        case .tooLong(let field): "message field \(field) is too long"
        }
    }
}

/// What a message that shows in the conversation (text or attachment) contributes to its
/// ``ChatMessage``.
struct ShownMessage: Sendable, Equatable {
    var text: String
    var replyTo: MessageID?
    var mentions: [String]
    var attachment: MessageAttachment?
}

extension ChatContent {
    /// The shown part of a text or attachment message; nil for every other kind (reactions,
    /// receipts, ...), which change other messages or state instead.
    var shownMessage: ShownMessage? {
        switch self {
        case .text(let text, let replyTo, let mentions):
            ShownMessage(text: text, replyTo: replyTo, mentions: mentions, attachment: nil)
        case .attachment(let attachment, let replyTo):
            ShownMessage(text: attachment.caption, replyTo: replyTo, mentions: [], attachment: attachment)
        default:
            nil
        }
    }
}
