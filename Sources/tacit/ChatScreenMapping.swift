import Foundation
import TacitClient
import TacitTerminal

/// How messenger values look on the chat screen.
enum ChatScreenMapping {
    static func row(_ conversation: Conversation, account: String, typing: Bool) -> ConversationRow {
        let isRequest = conversation.isDirect && conversation.status == .active && !conversation.metadata.contactAccepted
            && conversation.metadata.createdBy != account
        return ConversationRow(id: conversation.id.description, title: conversation.title,
                               unread: conversation.unreadCount, isGroup: !conversation.isDirect,
                               isActive: conversation.status == .active, members: conversation.members,
                               someoneTyping: typing, isRequest: isRequest)
    }

    static func rows(_ messages: [ChatMessage]) -> [MessageRow] {
        let byID = Dictionary(messages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return messages.map { message in
            let reply = message.replyTo.map { id -> (sender: String, text: String) in
                guard let original = byID[id] else { return ("", "(an earlier message)") }
                return (original.sender, original.isRecalled ? "(message recalled)" : shownText(original))
            }
            let reactions = message.reactions.filter { !$0.value.isEmpty }
                .sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
                .map { MessageRow.Reaction(emoji: $0.key, count: $0.value.count) }
            return MessageRow(id: message.id.description, sender: message.sender, time: time(message.serverTime),
                              text: shownText(message), isOutgoing: message.isOutgoing,
                              delivery: message.isOutgoing ? delivery(message.status) : nil, readBy: message.readBy,
                              replyTo: reply, isEdited: message.editedAt != nil, isRecalled: message.isRecalled,
                              reactions: reactions)
        }
    }

    /// The text of a message, an attachment as `[file report.pdf 1.2 MB]` before its caption.
    static func shownText(_ message: ChatMessage) -> String {
        guard let attachment = message.attachment, !message.isRecalled else { return message.text }
        return message.text.isEmpty ? attachment.summary : attachment.summary + " " + message.text
    }

    /// The `target`-th newest message with an attachment (1: the newest).
    static func attachmentMessage(_ target: Int, in messages: [ChatMessage]) -> ChatMessage? {
        let withAttachments = messages.filter { $0.attachment != nil && !$0.isRecalled }
        guard target >= 1, target <= withAttachments.count else { return nil }
        return withAttachments[withAttachments.count - target]
    }

    static func delivery(_ status: ChatMessage.Status) -> MessageRow.Delivery {
        switch status {
        case .pending: .pending
        case .sent: .sent
        case .delivered: .delivered
        case .read: .read
        case .failed: .failed
        }
    }

    /// `14:02` in the local time zone.
    static func time(_ date: Date) -> String {
        let parts = Calendar.current.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    static func contactLines(_ contacts: [Contact]) -> [String] {
        let shown = contacts.filter { $0.state != .removed }
        guard !shown.isEmpty else { return ["Contacts: none yet. /new USER sends a request."] }
        return ["Contacts:"] + shown.map { contact in
            let name = contact.displayName == contact.username ? contact.username : "\(contact.username) (\(contact.displayName))"
            let state = ContactRecord.stateName(contact.state)
            let hint = contact.state == .incomingRequest ? "  -> /accept \(contact.username)" : ""
            return "  \(name): \(state)\(hint)"
        } + ["", "(any key returns to the conversation)"]
    }
}
