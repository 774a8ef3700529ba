/// Everything the chat screen shows, as plain values: the model of `tacit chat`.
///
/// The terminal shell fills it from the messenger and hands it to ``ChatRenderer``; nothing
/// here does I/O, so layout and key handling are tested without a terminal.
public struct ChatScreen: Sendable, Equatable {
    /// This account's username.
    public var account: String
    /// Conversations, in the order listed (most recently active first).
    public var conversations: [ConversationRow]
    /// The index of the selected conversation in ``conversations``.
    public var selected: Int?
    /// The selected conversation's messages, oldest first.
    public var messages: [MessageRow]
    /// Who is typing in the selected conversation.
    public var typing: [String]
    public var compose: LineEditor
    /// A one-line notice (an error, or what a command did).
    public var notice: String?
    /// Lines shown instead of the messages until the next key (help, contact list).
    public var overlay: [String]?
    /// How many lines the history is scrolled up from its newest line.
    public var scrollBack: Int
    /// Whether the connection to the server is up.
    public var isConnected: Bool

    public init(account: String, conversations: [ConversationRow] = [], selected: Int? = nil,
                messages: [MessageRow] = [], typing: [String] = [], compose: LineEditor = LineEditor(),
                notice: String? = nil, overlay: [String]? = nil, scrollBack: Int = 0, isConnected: Bool = true) {
        self.account = account
        self.conversations = conversations
        self.selected = selected
        self.messages = messages
        self.typing = typing
        self.compose = compose
        self.notice = notice
        self.overlay = overlay
        self.scrollBack = scrollBack
        self.isConnected = isConnected
    }

    /// The selected conversation.
    public var selectedConversation: ConversationRow? {
        guard let selected, conversations.indices.contains(selected) else { return nil }
        return conversations[selected]
    }

    /// Moves the selection by `step` (wrapping around); returns whether it changed.
    @discardableResult
    public mutating func moveSelection(by step: Int) -> Bool {
        guard !conversations.isEmpty else { return false }
        let current = selected ?? 0
        let next = ((current + step) % conversations.count + conversations.count) % conversations.count
        let changed = next != selected
        selected = next
        if changed { scrollBack = 0 }
        return changed
    }

    /// Replaces the conversation list, keeping the same conversation selected (by id).
    public mutating func setConversations(_ rows: [ConversationRow]) {
        let selectedID = selectedConversation?.id
        conversations = rows
        if let selectedID, let index = rows.firstIndex(where: { $0.id == selectedID }) {
            selected = index
        } else {
            selected = rows.isEmpty ? nil : 0
        }
    }

    /// The N-th newest message (1: the newest), optionally only this account's own.
    public func message(target: Int, ownOnly: Bool = false) -> MessageRow? {
        let candidates = messages.filter { !ownOnly || $0.isOutgoing }
        guard target >= 1, target <= candidates.count else { return nil }
        return candidates[candidates.count - target]
    }
}

/// One line of the conversation list.
public struct ConversationRow: Sendable, Equatable, Identifiable {
    public var id: String
    public var title: String
    /// Messages not yet read.
    public var unread: Int
    public var isGroup: Bool
    /// False once this account left or was removed (the history stays readable).
    public var isActive: Bool
    /// The members (for the header).
    public var members: [String]
    /// Somebody is typing there.
    public var someoneTyping: Bool
    /// A direct conversation opened by the other account and not yet accepted here.
    public var isRequest: Bool

    public init(id: String, title: String, unread: Int = 0, isGroup: Bool = false, isActive: Bool = true,
                members: [String] = [], someoneTyping: Bool = false, isRequest: Bool = false) {
        self.id = id
        self.title = title
        self.unread = unread
        self.isGroup = isGroup
        self.isActive = isActive
        self.members = members
        self.someoneTyping = someoneTyping
        self.isRequest = isRequest
    }
}

/// One message of the history.
public struct MessageRow: Sendable, Equatable, Identifiable {
    /// How far an outgoing message got.
    public enum Delivery: Sendable, Equatable {
        case pending, sent, delivered, read, failed
    }

    public var id: String
    public var sender: String
    /// The time to show, already formatted (e.g. `14:02`).
    public var time: String
    public var text: String
    public var isOutgoing: Bool
    /// Outgoing messages only.
    public var delivery: Delivery?
    /// Who read it (outgoing messages in groups).
    public var readBy: [String]
    /// The message this one replies to: its sender and text.
    public var replyTo: (sender: String, text: String)? {
        get { replySender.map { ($0, replyText ?? "") } }
        set { replySender = newValue?.sender; replyText = newValue?.text }
    }
    var replySender: String?
    var replyText: String?
    public var isEdited: Bool
    public var isRecalled: Bool
    /// Emoji and how many reacted with it, in display order.
    public var reactions: [Reaction]

    public struct Reaction: Sendable, Equatable {
        public var emoji: String
        public var count: Int
        public init(emoji: String, count: Int) {
            self.emoji = emoji
            self.count = count
        }
    }

    public init(id: String, sender: String, time: String, text: String, isOutgoing: Bool = false,
                delivery: Delivery? = nil, readBy: [String] = [], replyTo: (sender: String, text: String)? = nil,
                isEdited: Bool = false, isRecalled: Bool = false, reactions: [Reaction] = []) {
        self.id = id
        self.sender = sender
        self.time = time
        self.text = text
        self.isOutgoing = isOutgoing
        self.delivery = delivery
        self.readBy = readBy
        self.replySender = replyTo?.sender
        self.replyText = replyTo?.text
        self.isEdited = isEdited
        self.isRecalled = isRecalled
        self.reactions = reactions
    }
}
