import ArgumentParser
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TacitClient

/// `tacit read`: prints messages not read yet and marks them read (sending read receipts);
/// with `--follow`, keeps printing as messages arrive until SIGINT or SIGTERM.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print new (unread) messages and mark them read.",
        discussion: "With --json: one object per line with the fields event, conversation, conversationName, direct, id, "
            + "sender, senderDevice, outgoing, sentAt, serverTime, text, replyTo, mentions, edited, editedAt, recalled, reactions, "
            + "attachment (null, or kind, fileName, size, mediaType, blobID, encryptedSize, chunkSize, sha256, durationMs, "
            + "width, height, thumbnail, descriptor, savedTo). With --download DIR, attachments are fetched, verified and "
            + "decrypted into DIR (never overwriting a file) before their message is printed.")

    @Flag(name: .shortAndLong, help: "Keep printing new messages (and edits, recalls, reactions) until interrupted.")
    var follow = false
    @Flag(help: "One JSON object per line.") var json = false
    @Flag(help: "Leave the messages unread (no read receipts).") var peek = false
    @Option(name: .customLong("in"), help: "Only this conversation (username, group name or id).")
    var only: String?
    @Option(help: "Save the attachments of the messages shown into this directory.")
    var download: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let json = self.json
        let peek = self.peek
        let show: @Sendable (MessageRecord) throws -> Void = { record in
            if json { try printJSONLine(record) } else { printLine(record.humanLine) }
        }
        let saver = try download.map { try AttachmentSaver(path: $0) }
        let failedDownloads = FailureCount()
        /// Saves the message's attachment (with --download), then makes its record.
        let record: @Sendable (ChatMessage, Conversation?, String, Messenger) async -> MessageRecord = { message, conversation, event, messenger in
            var saved: URL?
            if let saver, message.attachment != nil, !message.isRecalled, event == "message" {
                do {
                    saved = try await saver.save(message, via: messenger)
                } catch {
                    printError("cannot save the attachment of message \(message.id): \(error)")
                    failedDownloads.add()
                }
            }
            return MessageRecord(message, in: conversation, event: event, savedTo: saved)
        }
        try await withMessenger(options) { messenger in
            let events = await messenger.events()
            var filter: ConversationID?
            if let only {
                guard let conversation = try await findConversation(only, in: messenger, includeInactive: true) else {
                    throw CLIError("no conversation '\(only)' on this device")
                }
                filter = conversation.id
            }
            let chosen = filter
            var shown = Set<MessageID>()
            var backlog: [(ChatMessage, Conversation)] = []
            for conversation in await messenger.conversations() where conversation.unreadCount > 0 {
                if let filter, conversation.id != filter { continue }
                backlog += try await messenger.unreadMessages(in: conversation.id).map { ($0, conversation) }
            }
            for (message, conversation) in backlog.sorted(by: { $0.0.serverTime < $1.0.serverTime }) {
                try show(await record(message, conversation, "message", messenger))
                shown.insert(message.id)
            }
            if !peek {
                for id in Set(backlog.map { $0.1.id }) { try await messenger.markRead(id) }
            }
            if !json {
                for contact in await messenger.contacts() where contact.state == .incomingRequest {
                    printError("\(contact.username) asks to be your contact: tacit contacts accept \(contact.username)")
                }
                if backlog.isEmpty, !follow { printError("no new messages") }
            }
            guard follow else {
                let failed = failedDownloads.value
                if failed > 0 { throw CLIError("\(failed) attachment(s) could not be saved") }
                return
            }

            let alreadyShown = shown
            let reader = Task {
                var shown = alreadyShown
                for await event in events {
                    guard let (message, kind) = Self.change(in: event), chosen == nil || message.conversationID == chosen
                    else { continue }
                    if kind == "message" {
                        guard !message.isOutgoing, shown.insert(message.id).inserted else { continue }
                    }
                    let conversation = try? await messenger.conversation(message.conversationID)
                    try show(await record(message, conversation, kind, messenger))
                    if kind == "message", !peek { try? await messenger.markRead(message.conversationID) }
                }
            }
            let signals = TerminationSignals()
            signals.onSignal { reader.cancel() }
            try await reader.value
        }
    }

    /// The message an event is about and the `event` name it prints with.
    private static func change(in event: MessengerEvent) -> (ChatMessage, String)? {
        switch event {
        case .messageReceived(let message): (message, "message")
        case .messageEdited(let message): (message, "edited")
        case .messageRecalled(let message): (message, "recalled")
        case .reactionsChanged(let message): (message, "reactions")
        default: nil
        }
    }
}

/// SIGINT and SIGTERM, caught so a long-running command can finish cleanly (close the
/// store, restore the terminal) instead of dying mid-write.
final class TerminationSignals: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "tacit.signals")

    init(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            sources.append(source)
        }
    }

    /// Calls `action` (on a private queue) each time one of the signals arrives.
    func onSignal(_ action: @escaping @Sendable () -> Void) {
        for source in sources {
            source.setEventHandler(handler: action)
            source.resume()
        }
    }
}
