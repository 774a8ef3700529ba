import ArgumentParser
import Foundation
import TacitClient

/// `tacit group ...`: group conversations. A group is named by its name or its id
/// (`tacit group list` shows both).
struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "Create and manage group conversations.",
        subcommands: [Create.self, Add.self, Remove.self, Leave.self, Rename.self, List.self],
        defaultSubcommand: List.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a group with some members.")
        @Argument(help: "The group's name.") var name: String
        @Argument(help: "Usernames to add.") var members: [String] = []
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withMessenger(options) { messenger in
                let id = try await messenger.createGroup(name: name, members: usernames(members))
                let group = try await messenger.conversation(id)
                printLine("created group \(name) (\(id.shortDescription)) with \(group.members.joined(separator: ", "))")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add users to a group.")
        @Argument(help: "The group (name or id).") var group: String
        @Argument(help: "Usernames to add.") var users: [String]
        @OptionGroup var options: ClientOptions

        func validate() throws {
            guard !users.isEmpty else { throw ValidationError("name at least one user to add") }
        }

        func run() async throws {
            try await withMessenger(options) { messenger in
                let conversation = try await requireGroup(group, in: messenger)
                try await messenger.addMembers(usernames(users), to: conversation.id)
                printLine("added \(usernames(users).joined(separator: ", ")) to \(conversation.title)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove users from a group.")
        @Argument(help: "The group (name or id).") var group: String
        @Argument(help: "Usernames to remove.") var users: [String]
        @OptionGroup var options: ClientOptions

        func validate() throws {
            guard !users.isEmpty else { throw ValidationError("name at least one user to remove") }
        }

        func run() async throws {
            try await withMessenger(options) { messenger in
                let conversation = try await requireGroup(group, in: messenger)
                let names = usernames(users)
                let strangers = names.filter { !conversation.members.contains($0) }
                guard strangers.isEmpty else {
                    throw CLIError("not in \(conversation.title): \(strangers.joined(separator: ", "))")
                }
                try await messenger.removeMembers(names, from: conversation.id)
                printLine("removed \(names.joined(separator: ", ")) from \(conversation.title)")
            }
        }
    }

    struct Leave: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Leave a group (on all of this account's devices).")
        @Argument(help: "The group (name or id).") var group: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withMessenger(options) { messenger in
                let conversation = try await requireGroup(group, in: messenger)
                try await messenger.leave(conversation.id)
                printLine("left \(conversation.title)")
            }
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a group.")
        @Argument(help: "The group (name or id).") var group: String
        @Argument(help: "The new name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withMessenger(options) { messenger in
                let conversation = try await requireGroup(group, in: messenger)
                try await messenger.rename(conversation.id, to: name)
                printLine("renamed \(conversation.title) to \(name)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List this account's groups.")
        @Flag(help: "One JSON object per line: id, name, members, unread, status.") var json = false
        @Flag(help: "Also list groups this account left or was removed from.") var all = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withMessenger(options) { messenger in
                let groups = await messenger.conversations().filter { !$0.isDirect && (all || $0.status == .active) }
                if json {
                    for group in groups { try printJSONLine(ConversationRecord(group)) }
                    return
                }
                if groups.isEmpty { printError("no groups") }
                for group in groups {
                    let unread = group.unreadCount > 0 ? "  \(group.unreadCount) unread" : ""
                    let status = group.status == .active ? "" : "  (\(ConversationRecord.statusName(group.status)))"
                    printLine("\(group.id.shortDescription)  \(group.title): \(group.members.joined(separator: ", "))\(unread)\(status)")
                }
            }
        }
    }
}

/// A conversation as the `--json` listings print it.
struct ConversationRecord: Encodable {
    var id: String
    var name: String
    var kind: String
    var members: [String]
    var unread: Int
    var status: String

    init(_ conversation: Conversation) {
        id = conversation.id.description
        name = conversation.title
        kind = conversation.isDirect ? "direct" : "group"
        members = conversation.members
        unread = conversation.unreadCount
        status = Self.statusName(conversation.status)
    }

    static func statusName(_ status: Conversation.Status) -> String {
        switch status {
        case .active: "active"
        case .left: "left"
        case .removed: "removed"
        case .closed: "closed"
        }
    }
}
