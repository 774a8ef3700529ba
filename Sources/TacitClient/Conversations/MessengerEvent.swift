import Foundation

/// Something that happened in this account's conversations, as ``Messenger/events()`` reports it.
///
/// Events encode to JSON objects with a `type` field (`"messageReceived"`, `"typing"`, ...)
/// and the fields of the case, so `tacit read --follow --json` can print one per line.
public enum MessengerEvent: Sendable, Equatable, Encodable {
    /// A new message: from another account, or sent by another device of this account.
    case messageReceived(ChatMessage)
    /// A message this device sent was stored by the server.
    case messageSent(ChatMessage)
    /// A message's text was edited.
    case messageEdited(ChatMessage)
    /// A message was recalled by its sender.
    case messageRecalled(ChatMessage)
    /// A message's reactions changed.
    case reactionsChanged(ChatMessage)
    /// An outgoing message's status moved on (delivered, read).
    case statusChanged(ChatMessage)
    /// A message's disappearing timer ran out and it was deleted from this device.
    case messageExpired(conversation: ConversationID, message: MessageID)
    /// A member reported messages delivered or read.
    case receipt(conversation: ConversationID, from: String, kind: ReceiptKind, messages: [MessageID])
    /// A member started or stopped typing.
    case typing(conversation: ConversationID, username: String, active: Bool)
    /// Accounts joined or left a conversation.
    case membersChanged(conversation: ConversationID, added: [String], removed: [String])
    /// A conversation was joined, renamed, given an avatar or timer, left, or this device was removed.
    case conversationUpdated(Conversation)
    /// Another account asked to become a contact.
    case contactRequest(Contact)
    /// A contact's state or profile changed.
    case contactUpdated(Contact)

    private enum CodingKeys: String, CodingKey {
        case type, message, conversation, from, kind, messages, username, active, added, removed, contact, messageID
    }

    /// The `type` field of the JSON form.
    public var type: String {
        switch self {
        case .messageReceived: "messageReceived"
        case .messageSent: "messageSent"
        case .messageEdited: "messageEdited"
        case .messageRecalled: "messageRecalled"
        case .reactionsChanged: "reactionsChanged"
        case .statusChanged: "statusChanged"
        case .messageExpired: "messageExpired"
        case .receipt: "receipt"
        case .typing: "typing"
        case .membersChanged: "membersChanged"
        case .conversationUpdated: "conversationUpdated"
        case .contactRequest: "contactRequest"
        case .contactUpdated: "contactUpdated"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .messageReceived(let message), .messageSent(let message), .messageEdited(let message),
             .messageRecalled(let message), .reactionsChanged(let message), .statusChanged(let message):
            try container.encode(message, forKey: .message)
        case .messageExpired(let conversation, let message):
            try container.encode(conversation, forKey: .conversation)
            try container.encode(message, forKey: .messageID)
        case .receipt(let conversation, let from, let kind, let messages):
            try container.encode(conversation, forKey: .conversation)
            try container.encode(from, forKey: .from)
            try container.encode(kind, forKey: .kind)
            try container.encode(messages, forKey: .messages)
        case .typing(let conversation, let username, let active):
            try container.encode(conversation, forKey: .conversation)
            try container.encode(username, forKey: .username)
            try container.encode(active, forKey: .active)
        case .membersChanged(let conversation, let added, let removed):
            try container.encode(conversation, forKey: .conversation)
            try container.encode(added, forKey: .added)
            try container.encode(removed, forKey: .removed)
        case .conversationUpdated(let conversation):
            try container.encode(conversation, forKey: .conversation)
        case .contactRequest(let contact), .contactUpdated(let contact):
            try container.encode(contact, forKey: .contact)
        }
    }
}
