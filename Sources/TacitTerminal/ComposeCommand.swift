/// What a line typed into the compose line asks for: a message, or a `/command`.
public enum ComposeInput: Sendable, Equatable {
    case message(String)
    case command(ComposeCommand)
    /// A `/command` that cannot be used as typed; the text says how to use it.
    case invalid(String)

    /// Parses one compose line. A line starting with `//` sends a message starting with `/`.
    public init(parsing line: String) {
        let trimmed = String(line.drop { $0 == " " })
        if trimmed.hasPrefix("//") {
            self = .message(String(trimmed.dropFirst()))
            return
        }
        guard trimmed.hasPrefix("/") else {
            self = .message(line)
            return
        }
        var words = trimmed.dropFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first?.lowercased() else {
            self = .invalid("type /help for the commands")
            return
        }
        words.removeFirst()
        self = Self.command(name, words)
    }

    private static func command(_ name: String, _ words: [String]) -> ComposeInput {
        let rest = words.joined(separator: " ")
        switch name {
        case "new", "dm", "chat":
            guard words.count == 1 else { return .invalid("usage: /new USER") }
            return .command(.direct(words[0].lowercased()))
        case "group":
            guard let groupName = words.first else { return .invalid("usage: /group NAME [USER...]") }
            return .command(.createGroup(name: groupName, members: words.dropFirst().map { $0.lowercased() }))
        case "add":
            guard !words.isEmpty else { return .invalid("usage: /add USER...") }
            return .command(.add(words.map { $0.lowercased() }))
        case "remove", "kick":
            guard !words.isEmpty else { return .invalid("usage: /remove USER...") }
            return .command(.remove(words.map { $0.lowercased() }))
        case "leave":
            return .command(.leave)
        case "rename":
            guard !rest.isEmpty else { return .invalid("usage: /rename NAME") }
            return .command(.rename(rest))
        case "react":
            let (target, tail) = target(words)
            guard tail.count == 1 else { return .invalid("usage: /react [#N] EMOJI") }
            return .command(.react(target: target, emoji: tail[0]))
        case "unreact":
            let (target, tail) = target(words)
            guard tail.count == 1 else { return .invalid("usage: /unreact [#N] EMOJI") }
            return .command(.unreact(target: target, emoji: tail[0]))
        case "reply":
            let (target, tail) = target(words)
            guard !tail.isEmpty else { return .invalid("usage: /reply [#N] TEXT") }
            return .command(.reply(target: target, text: tail.joined(separator: " ")))
        case "edit":
            let (target, tail) = target(words)
            guard !tail.isEmpty else { return .invalid("usage: /edit [#N] TEXT") }
            return .command(.edit(target: target, text: tail.joined(separator: " ")))
        case "recall", "delete":
            let (target, tail) = target(words)
            guard tail.isEmpty else { return .invalid("usage: /recall [#N]") }
            return .command(.recall(target: target))
        case "contacts":
            return .command(.contacts)
        case "accept":
            guard words.count <= 1 else { return .invalid("usage: /accept [USER]") }
            return .command(.accept(words.first?.lowercased()))
        case "decline":
            guard words.count <= 1 else { return .invalid("usage: /decline [USER]") }
            return .command(.decline(words.first?.lowercased()))
        case "block":
            guard words.count == 1 else { return .invalid("usage: /block USER") }
            return .command(.block(words[0].lowercased()))
        case "unblock":
            guard words.count == 1 else { return .invalid("usage: /unblock USER") }
            return .command(.unblock(words[0].lowercased()))
        case "save", "download":
            let (target, tail) = target(words)
            guard tail.count <= 1 else { return .invalid("usage: /save [#N] [DIR]") }
            return .command(.save(target: target, directory: tail.first))
        case "invite":
            return .command(.invite)
        case "members", "who":
            return .command(.members)
        case "help", "?":
            return .command(.help)
        case "quit", "exit", "q":
            return .command(.quit)
        default:
            return .invalid("unknown command /\(name); type /help")
        }
    }

    /// A leading `#N` names the N-th newest message (1: the newest); default 1.
    private static func target(_ words: [String]) -> (Int, [String]) {
        if let first = words.first, first.hasPrefix("#"), let number = Int(first.dropFirst()), number > 0 {
            return (number, Array(words.dropFirst()))
        }
        return (1, words)
    }
}

/// A `/command` of the compose line.
public enum ComposeCommand: Sendable, Equatable {
    /// Open (or go to) the direct conversation with a user; sends a contact request if new.
    case direct(String)
    case createGroup(name: String, members: [String])
    case add([String])
    case remove([String])
    case leave
    case rename(String)
    /// `target`: the N-th newest message of the conversation (1: the newest).
    case react(target: Int, emoji: String)
    case unreact(target: Int, emoji: String)
    case reply(target: Int, text: String)
    /// `target`: the N-th newest of this account's own messages.
    case edit(target: Int, text: String)
    case recall(target: Int)
    /// Save the N-th newest attachment of the conversation (1: the newest) into a
    /// directory (nil: the current one).
    case save(target: Int, directory: String?)
    case contacts
    /// nil: the peer of the selected conversation.
    case accept(String?)
    case decline(String?)
    case block(String)
    case unblock(String)
    case invite
    case members
    case help
    case quit

    /// The lines `/help` shows.
    public static let helpLines: [String] = [
        "Keys: Up/Down or Tab/Shift-Tab switch conversation, PgUp/PgDn scroll,",
        "  Enter sends, Ctrl-C or /quit quits. //text sends text starting with /.",
        "/new USER            talk to USER (sends a contact request if new)",
        "/group NAME [USER..] create a group    /add USER..  /remove USER..",
        "/leave  /rename NAME /members          /invite  (an invite link)",
        "/reply [#N] TEXT     reply to the N-th newest message (default: newest)",
        "/react [#N] EMOJI    /unreact [#N] EMOJI",
        "/edit [#N] TEXT      /recall [#N]   (your own N-th newest message)",
        "/save [#N] [DIR]     save the N-th newest attachment (default: newest, into .)",
        "/contacts  /accept [USER]  /decline [USER]  /block USER  /unblock USER",
    ]
}
