import ArgumentParser
import Foundation
import TacitClient

/// `tacit send TO TEXT` or `tacit send TO --file PATH [TEXT]`: one end-to-end encrypted
/// message or attachment, for people and bots.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a message or a file to a user or a group.",
        discussion: """
            TO is a username (the direct conversation with them; a contact request if there is none yet), \
            a group name, or a conversation id (or a unique prefix). Use @name for a user only, #name for a group only. \
            With --file the file is encrypted on this device, uploaded, and sent with TEXT (optional) as its caption; \
            an upload cut short (the process killed, the network gone) continues where it stopped when the same \
            command runs again.
            """)

    @Argument(help: "A username, group name or conversation id.") var to: String
    @Argument(help: "The text (with --file: an optional caption).") var text: String?
    @Option(name: .customLong("reply-to"), help: "The id of the message this one answers.") var replyTo: String?
    @Option(help: "Send this file as an attachment.") var file: String?
    @Flag(help: "Send the file as a voice message.") var voice = false
    @Option(help: "MIME type of the file (default: guessed from its name).") var type: String?
    @Flag(help: "No thumbnail or duration, even where ffmpeg is installed.") var noProbe = false
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if file == nil {
            guard let text, !text.isEmpty else { throw ValidationError("the text is empty") }
            if voice { throw ValidationError("--voice needs --file") }
        }
        if let replyTo, MessageID(hex: replyTo) == nil { throw ValidationError("--reply-to takes a message id (hex)") }
    }

    func run() async throws {
        MediaHeapTuning.apply()
        let attachment = try file.map { try AttachmentToSend(path: $0, voice: voice, type: type, probe: !noProbe) }
        try await withMessenger(options) { messenger in
            let reply = replyTo.flatMap(MessageID.init(hex:))
            let conversation: Conversation
            if let found = try await findConversation(to, in: messenger) {
                conversation = found
            } else if !to.hasPrefix("#") {
                let user = usernames([to])[0]
                guard replyTo == nil else { throw CLIError("no conversation with \(user) to reply in") }
                guard let attachment else {
                    let message = try await messenger.send(text: text ?? "", toUser: user)
                    printError("no conversation with \(user) yet: sent as a contact request")
                    printLine("sent to \(user), message id \(message.id)")
                    return
                }
                let id = try await messenger.requestContact(user)
                printError("no conversation with \(user) yet: sent a contact request")
                conversation = try await messenger.conversation(id)
            } else {
                throw CLIError("no group '\(to.dropFirst())' on this device (see `tacit group list`)")
            }
            let message: ChatMessage
            if let attachment {
                message = try await attachment.send(to: conversation.id, caption: text ?? "", replyTo: reply, via: messenger)
            } else {
                message = try await messenger.send(text: text ?? "", to: conversation.id, replyTo: reply)
            }
            printLine("sent to \(conversation.title), message id \(message.id)")
        }
    }
}

/// A file `tacit send --file` sends: its kind and type, probed with ffmpeg where installed.
struct AttachmentToSend {
    let url: URL
    let kind: MessageAttachment.Kind
    let mediaType: String
    let probe: Bool

    init(path: String, voice: Bool, type: String?, probe: Bool) throws {
        url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: url.path) else { throw CLIError("cannot read the file \(path)") }
        let guessed = type ?? MediaTypeGuess.mediaType(for: url)
        mediaType = voice && !guessed.hasPrefix("audio/") && type == nil ? "audio/ogg" : guessed
        kind = voice ? .voice : mediaType.hasPrefix("image/") ? .photo : mediaType.hasPrefix("video/") ? .video : .file
        self.probe = probe
    }

    /// Probes (thumbnail, duration), uploads with a progress bar, and sends.
    func send(to id: ConversationID, caption: String, replyTo: MessageID?, via messenger: Messenger) async throws -> ChatMessage {
        var metadata = AttachmentMetadata(fileName: url.lastPathComponent)
        if probe, kind != .file || mediaType.hasPrefix("audio/") {
            metadata = try await MediaProbe.describe(url, mediaType: mediaType, metadata: metadata, client: messenger.client,
                                                     recipients: try await messenger.otherMemberDeviceCount(in: id))
        }
        let bar = TransferProgressBar(label: "upload")
        do {
            return try await messenger.sendAttachment(file: url, to: id, kind: kind, caption: caption, mediaType: mediaType,
                                                      metadata: metadata, replyTo: replyTo, progress: bar.handler)
        } catch {
            throw CLIError("\(error)")
        }
    }
}
