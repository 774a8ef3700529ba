import Foundation
import TacitClient

/// A message as `tacit read --json` prints it: one object per line, every field always
/// present (null when empty), so bots can rely on the names.
struct MessageRecord: Encodable {
    /// `message` (new), `edited`, `recalled` or `reactions` (changes, with `--follow`).
    var event: String
    var conversation: String
    var conversationName: String
    var direct: Bool
    var id: String
    var sender: String
    var senderDevice: String
    var outgoing: Bool
    var sentAt: Date
    var serverTime: Date
    var text: String
    var replyTo: String?
    var mentions: [String]
    var edited: Bool
    var editedAt: Date?
    var recalled: Bool
    var reactions: [String: [String]]
    /// The file, photo, voice message or video; null for text.
    var attachment: AttachmentRecord?

    init(_ message: ChatMessage, in conversation: Conversation?, event: String = "message", savedTo: URL? = nil) {
        self.event = event
        self.conversation = message.conversationID.description
        conversationName = conversation?.title ?? message.conversationID.shortDescription
        direct = conversation?.isDirect ?? false
        id = message.id.description
        sender = message.sender
        senderDevice = message.senderDevice.description
        outgoing = message.isOutgoing
        sentAt = message.sentAt
        serverTime = message.serverTime
        text = message.text
        replyTo = message.replyTo?.description
        mentions = message.mentions
        edited = message.editedAt != nil
        editedAt = message.editedAt
        recalled = message.isRecalled
        reactions = message.reactions
        attachment = message.attachment.map { AttachmentRecord($0, savedTo: savedTo?.path) }
    }

    private enum CodingKeys: String, CodingKey {
        case event, conversation, conversationName, direct, id, sender, senderDevice, outgoing, sentAt, serverTime,
             text, replyTo, mentions, edited, editedAt, recalled, reactions, attachment
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event, forKey: .event)
        try container.encode(conversation, forKey: .conversation)
        try container.encode(conversationName, forKey: .conversationName)
        try container.encode(direct, forKey: .direct)
        try container.encode(id, forKey: .id)
        try container.encode(sender, forKey: .sender)
        try container.encode(senderDevice, forKey: .senderDevice)
        try container.encode(outgoing, forKey: .outgoing)
        try container.encode(sentAt, forKey: .sentAt)
        try container.encode(serverTime, forKey: .serverTime)
        try container.encode(text, forKey: .text)
        try container.encode(replyTo, forKey: .replyTo)
        try container.encode(mentions, forKey: .mentions)
        try container.encode(edited, forKey: .edited)
        try container.encode(editedAt, forKey: .editedAt)
        try container.encode(recalled, forKey: .recalled)
        try container.encode(reactions, forKey: .reactions)
        try container.encode(attachment, forKey: .attachment)
    }

    /// The line people see: `[14:02:11] bob: hello` (with `#group` for groups).
    var humanLine: String {
        let time = serverTime.formatted(date: .omitted, time: .standard)
        let place = direct ? "" : "#\(conversationName) "
        var body = recalled ? "(message recalled)" : text
        if let attachment, !recalled {
            body = attachmentSummary + (text.isEmpty ? "" : " " + text)
            if let savedTo = attachment.savedTo { body += "  (saved to \(savedTo))" }
        }
        var line = "[\(time)] \(place)\(sender): \(body)"
        if let replyTo { line += "  (reply to \(replyTo.prefix(8)))" }
        switch event {
        case "edited": line += "  (edited)"
        case "reactions":
            line += "  " + reactions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.count)" }.joined(separator: " ")
        default: break
        }
        return line + "  [\(id.prefix(8))]"
    }
}

extension MessageRecord {
    /// `[file report.pdf 1.2 MB]`.
    var attachmentSummary: String {
        guard let attachment else { return "" }
        var parts = [attachment.kind, attachment.fileName, MessageAttachment.formatSize(attachment.size)]
        if let duration = attachment.durationMs { parts.append("\(duration / 60_000):" + String(format: "%02d", Int(duration / 1000 % 60))) }
        return "[" + parts.joined(separator: " ") + "]"
    }
}
