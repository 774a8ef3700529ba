import ArgumentParser
import Foundation
import TacitClient

/// `tacit send TO TEXT`: one end-to-end encrypted message, for people and bots.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a message to a user or a group.",
        discussion: """
            TO is a username (the direct conversation with them; a contact request if there is none yet), \
            a group name, or a conversation id (or a unique prefix). Use @name for a user only, #name for a group only.
            """)

    @Argument(help: "A username, group name or conversation id.") var to: String
    @Argument(help: "The text.") var text: String
    @Option(name: .customLong("reply-to"), help: "The id of the message this one answers.") var replyTo: String?
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard !text.isEmpty else { throw ValidationError("the text is empty") }
        if let replyTo, MessageID(hex: replyTo) == nil { throw ValidationError("--reply-to takes a message id (hex)") }
    }

    func run() async throws {
        try await withMessenger(options) { messenger in
            let message: ChatMessage
            let title: String
            if let conversation = try await findConversation(to, in: messenger) {
                message = try await messenger.send(text: text, to: conversation.id, replyTo: replyTo.flatMap(MessageID.init(hex:)))
                title = conversation.title
            } else if !to.hasPrefix("#") {
                let user = usernames([to])[0]
                guard replyTo == nil else { throw CLIError("no conversation with \(user) to reply in") }
                message = try await messenger.send(text: text, toUser: user)
                title = user
                printError("no conversation with \(user) yet: sent as a contact request")
            } else {
                throw CLIError("no group '\(to.dropFirst())' on this device (see `tacit group list`)")
            }
            printLine("sent to \(title), message id \(message.id)")
        }
    }
}
