import ArgumentParser
import Foundation
import TacitClient

/// `tacit contacts ...`: contact requests, answers, blocks. Contacts live on this account's
/// devices only; the server never learns them.
struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Manage contacts: requests, answers, blocks.",
        subcommands: [Add.self, Invite.self, Accept.self, Decline.self, Remove.self, Block.self, Unblock.self, List.self],
        defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask a user to become a contact (a username, or an invite link from `contacts invite`).")

        @Argument(help: "A username, or a tacit://contact/... invite link.") var user: String
        @Option(help: "A note sent with the request.") var note: String = ""
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withMessenger(options) { messenger in
                if user.hasPrefix("tacit://") {
                    let invite = try ContactInvite(parsing: user)
                    try await messenger.requestContact(invite: user, note: note)
                    printLine("contact request sent to \(invite.username) (with their invite: accepted on arrival)")
                } else {
                    let name = usernames([user])[0]
                    try await messenger.requestContact(name, note: note)
                    printLine("contact request sent to \(name)")
                }
            }
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an invite link: whoever adds it becomes a contact without asking.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withMessenger(options) { messenger in
                let invite = try await messenger.createInvite()
                printLine(invite.description)
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept a user's contact request.")
        @Argument(help: "The user who asked.") var user: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let name = usernames([user])[0]
            try await withMessenger(options) { messenger in
                try await messenger.acceptContact(name)
                printLine("\(name) is now a contact")
            }
        }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decline a user's contact request.")
        @Argument(help: "The user who asked.") var user: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let name = usernames([user])[0]
            try await withMessenger(options) { messenger in
                try await messenger.declineContact(name)
                printLine("declined \(name)'s contact request")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a contact (and leave the direct conversation with them).")
        @Argument(help: "The contact.") var user: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let name = usernames([user])[0]
            try await withMessenger(options) { messenger in
                guard await messenger.contact(name) != nil else { throw CLIError("\(name) is not a contact") }
                try await messenger.removeContact(name)
                printLine("removed \(name)")
            }
        }
    }

    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Block a user: this account's devices drop everything from them (the server is not told).")
        @Argument(help: "The user.") var user: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let name = usernames([user])[0]
            try await withMessenger(options) { messenger in
                try await messenger.block(name)
                printLine("blocked \(name)")
            }
        }
    }

    struct Unblock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lift a block (send a new contact request to talk again).")
        @Argument(help: "The user.") var user: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let name = usernames([user])[0]
            try await withMessenger(options) { messenger in
                guard await messenger.contact(name)?.state == .blocked else { throw CLIError("\(name) is not blocked") }
                try await messenger.unblock(name)
                printLine("unblocked \(name)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List contacts, requests and blocks.")
        @Flag(help: "One JSON object per line: username, state, displayName, conversation.") var json = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withMessenger(options) { messenger in
                let contacts = await messenger.contacts().filter { $0.state != .removed }
                if json {
                    for contact in contacts { try printJSONLine(ContactRecord(contact)) }
                    return
                }
                if contacts.isEmpty { printError("no contacts") }
                for contact in contacts {
                    let shown = contact.displayName == contact.username ? "" : " (\(contact.displayName))"
                    printLine("\(contact.username)\(shown)  \(ContactRecord.stateName(contact.state))")
                }
            }
        }
    }
}

/// A contact as `tacit contacts list --json` prints it.
struct ContactRecord: Encodable {
    var username: String
    var state: String
    var displayName: String
    var conversation: String?

    init(_ contact: Contact) {
        username = contact.username
        state = Self.stateName(contact.state)
        displayName = contact.displayName
        conversation = contact.conversationID?.description
    }

    /// Stable names: accepted, requested (by this account), incoming, declined, removed, blocked.
    static func stateName(_ state: Contact.State) -> String {
        switch state {
        case .accepted: "accepted"
        case .outgoingRequest: "requested"
        case .incomingRequest: "incoming"
        case .declined: "declined"
        case .removed: "removed"
        case .blocked: "blocked"
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(username, forKey: .username)
        try container.encode(state, forKey: .state)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(conversation, forKey: .conversation)  // null when none, so the field is always there
    }

    private enum CodingKeys: String, CodingKey { case username, state, displayName, conversation }
}
