import Foundation
import SwiftProtobuf
import TacitWire

/// Encodes ``ContentEnvelope`` values as content.proto `Message` bytes and decodes them
/// strictly: a 16-byte id, a known body, bounded fields.
enum ContentCodec {
    /// The longest text (in UTF-8 bytes) a message may carry.
    static let maximumTextLength = 64 * 1024
    /// The most targets one receipt may name.
    static let maximumReceiptTargets = 1000
    /// The longest attachment descriptor (a descriptor with a thumbnail is about 700 bytes).
    static let maximumDescriptorLength = 8 * 1024

    static func encode(_ envelope: ContentEnvelope) -> [UInt8] {
        var message = ContentMessage()
        message.id = Data(envelope.id.bytes)
        message.sentMs = envelope.sentAt.millisecondsSince1970
        switch envelope.content {
        case .text(let text, let replyTo, let mentions):
            var body = ContentText()
            body.text = text
            body.replyTo = Data(replyTo?.bytes ?? [])
            body.mentions = mentions
            message.body = .text(body)
        case .reaction(let target, let emoji, let remove):
            var body = ContentReaction()
            body.target = Data(target.bytes)
            body.emoji = emoji
            body.remove = remove
            message.body = .reaction(body)
        case .edit(let target, let text, let mentions):
            var body = ContentEdit()
            body.target = Data(target.bytes)
            body.text = text
            body.mentions = mentions
            message.body = .edit(body)
        case .recall(let target):
            var body = ContentRecall()
            body.target = Data(target.bytes)
            message.body = .recall(body)
        case .receipt(let kind, let targets):
            var body = ContentReceipt()
            body.kind = kind == .read ? .read : .delivered
            body.targets = targets.map { Data($0.bytes) }
            message.body = .receipt(body)
        case .typing(let active):
            var body = ContentTyping()
            body.active = active
            message.body = .typing(body)
        case .profile(let profile):
            var body = ContentProfile()
            body.displayName = profile.displayName
            body.avatar = profile.avatar ?? ""
            message.body = .profile(body)
        case .contactRequest(let token, let note):
            var body = ContentContactRequest()
            body.inviteToken = token ?? ""
            body.note = note
            message.body = .contactRequest(body)
        case .contactResponse(let accepted):
            var body = ContentContactResponse()
            body.accepted = accepted
            message.body = .contactResponse(body)
        case .leave:
            message.body = .leave(ContentLeave())
        case .attachment(let attachment, let replyTo):
            var body = ContentAttachment()
            body.descriptor = Data(attachment.descriptor.serializedBytes())
            body.kind = switch attachment.kind {
            case .file: .file
            case .photo: .photo
            case .voice: .voice
            case .video: .video
            }
            body.caption = attachment.caption
            body.replyTo = Data(replyTo?.bytes ?? [])
            message.body = .attachment(body)
        }
        // Serializing a message built from these fields cannot fail.
        return (try? message.serializedBytes()) ?? []
    }

    static func decode(_ bytes: [UInt8]) throws(ContentError) -> ContentEnvelope {
        let message: ContentMessage
        do {
            message = try ContentMessage(serializedBytes: bytes)
        } catch {
            throw .malformed("\(error)")
        }
        guard message.id.count == 16 else { throw .badMessageID }
        let content: ChatContent
        switch message.body {
        case .text(let body):
            try checkText(body.text, field: "text")
            content = .text(body.text, replyTo: try optionalID(body.replyTo), mentions: try mentions(body.mentions))
        case .reaction(let body):
            guard body.emoji.utf8.count <= 64 else { throw .tooLong("emoji") }
            content = .reaction(target: try id(body.target), emoji: body.emoji, remove: body.remove)
        case .edit(let body):
            try checkText(body.text, field: "text")
            content = .edit(target: try id(body.target), text: body.text, mentions: try mentions(body.mentions))
        case .recall(let body):
            content = .recall(target: try id(body.target))
        case .receipt(let body):
            guard body.targets.count <= maximumReceiptTargets else { throw .tooLong("targets") }
            var targets: [MessageID] = []
            for target in body.targets { targets.append(try id(target)) }
            content = .receipt(body.kind == .read ? .read : .delivered, targets: targets)
        case .typing(let body):
            content = .typing(active: body.active)
        case .profile(let body):
            guard body.displayName.utf8.count <= 256 else { throw .tooLong("display_name") }
            guard body.avatar.utf8.count <= 4096 else { throw .tooLong("avatar") }
            content = .profile(Profile(displayName: body.displayName, avatar: body.avatar.isEmpty ? nil : body.avatar))
        case .contactRequest(let body):
            guard body.note.utf8.count <= 1024 else { throw .tooLong("note") }
            guard body.inviteToken.utf8.count <= 128 else { throw .tooLong("invite_token") }
            content = .contactRequest(inviteToken: body.inviteToken.isEmpty ? nil : body.inviteToken, note: body.note)
        case .contactResponse(let body):
            content = .contactResponse(accepted: body.accepted)
        case .leave:
            content = .leave
        case .attachment(let body):
            try checkText(body.caption, field: "caption")
            guard body.descriptor.count <= maximumDescriptorLength else { throw .tooLong("descriptor") }
            let descriptor: AttachmentDescriptor
            do {
                descriptor = try AttachmentDescriptor(serializedBytes: body.descriptor)
            } catch {
                throw .malformed("attachment descriptor: \(error)")
            }
            let kind: MessageAttachment.Kind = switch body.kind {
            case .photo: .photo
            case .voice: .voice
            case .video: .video
            // FILE, and kinds of newer clients: shown as a file.
            default: .file
            }
            content = .attachment(MessageAttachment(descriptor: descriptor, kind: kind, caption: body.caption),
                                  replyTo: try optionalID(body.replyTo))
        case nil:
            throw .unsupportedBody
        }
        return ContentEnvelope(id: MessageID(bytes: Array(message.id)),
                               sentAt: Date(millisecondsSince1970: message.sentMs), content: content)
    }

    private static func checkText(_ text: String, field: String) throws(ContentError) {
        guard text.utf8.count <= maximumTextLength else { throw .tooLong(field) }
    }

    private static func id(_ data: Data) throws(ContentError) -> MessageID {
        guard data.count == 16 else { throw .badMessageID }
        return MessageID(bytes: Array(data))
    }

    private static func optionalID(_ data: Data) throws(ContentError) -> MessageID? {
        data.isEmpty ? nil : try id(data)
    }

    private static func mentions(_ names: [String]) throws(ContentError) -> [String] {
        guard names.count <= 256, names.allSatisfy({ $0.utf8.count <= 64 }) else { throw .tooLong("mentions") }
        return names
    }
}
