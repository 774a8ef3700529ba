import Foundation
import TacitTestSupport
import Testing

/// The scriptable chat commands of the real `tacit` binary: contacts, groups, send, read,
/// block, each run as its own process against a child server.
@Suite struct ChatCLITests {
    @Test(.timeLimit(.minutes(4)))
    func contactsAddAcceptSendAndReadAsJSON() async throws {
        let server = ChildServer()
        try await server.start()
        let alice = try await CLIAccount.create("alice", on: server)
        let bob = try await CLIAccount.create("bob", on: server)

        try await alice.succeed(["contacts", "add", "bob"], printing: "contact request sent to bob")
        let requests = try await bob.jsonLines(["contacts", "list", "--json"])
        #expect(requests.contains { $0["username"] as? String == "alice" && $0["state"] as? String == "incoming" })
        try await bob.succeed(["contacts", "accept", "alice"], printing: "alice is now a contact")

        try await alice.succeed(["send", "bob", "hello bob, this is alice"], printing: "sent to bob")
        let read = try await bob.jsonLines(["read", "--json"])
        let message = try #require(read.first { $0["text"] as? String == "hello bob, this is alice" }, "\(read)")
        #expect(message["sender"] as? String == "alice")
        #expect(message["event"] as? String == "message")
        #expect(message["direct"] as? Bool == true)
        #expect(message["edited"] as? Bool == false)
        #expect(message["recalled"] as? Bool == false)
        #expect((message["conversation"] as? String)?.count ?? 0 >= 16)
        #expect((message["id"] as? String)?.count == 32)
        #expect(message["sentAt"] is String && message["serverTime"] is String)
        #expect(message.keys.contains("replyTo"))
        // Read means read: the next run prints nothing new.
        #expect(try await bob.jsonLines(["read", "--json"]).isEmpty)

        // The answer, replying to alice's message, in the human format.
        let id = try #require(message["id"] as? String)
        try await bob.succeed(["send", "alice", "hi alice", "--reply-to", id], printing: "sent to alice")
        let human = try await alice.succeed(["read"])
        #expect(human.contains("bob: hi alice"))
        #expect(human.contains("(reply to \(id.prefix(8)))"))
        let contacts = try await alice.jsonLines(["contacts", "list", "--json"])
        #expect(contacts.contains { $0["username"] as? String == "bob" && $0["state"] as? String == "accepted" })

        // Mistakes: a clear message and a failure status.
        let nobody = try await alice.run(["send", "#nosuchgroup", "hello"])
        #expect(nobody.status != 0)
        #expect(nobody.stderr.contains("no group 'nosuchgroup'"))
        let stranger = try await alice.run(["send", "nobody-here", "hello"])
        #expect(stranger.status != 0)
        #expect(!stranger.stderr.isEmpty)
        let noHome = try await ChildProcess.run(["read", "--home", TemporaryDirectory.make("cli-empty").path])
        #expect(noHome.status != 0)
        await server.stop()
    }

    @Test(.timeLimit(.minutes(5)))
    func groupsAndBlocks() async throws {
        let server = ChildServer()
        try await server.start()
        let alice = try await CLIAccount.create("alice", on: server)
        let bob = try await CLIAccount.create("bob", on: server)
        let carol = try await CLIAccount.create("carol", on: server)
        let dave = try await CLIAccount.create("dave", on: server)

        try await alice.succeed(["group", "create", "Hiking", "bob", "carol"], printing: "created group Hiking")
        try await alice.succeed(["group", "add", "Hiking", "dave"], printing: "added dave")
        let groups = try await bob.jsonLines(["group", "list", "--json"])
        let hiking = try #require(groups.first { $0["name"] as? String == "Hiking" }, "\(groups)")
        #expect(hiking["members"] as? [String] == ["alice", "bob", "carol", "dave"])
        #expect(hiking["kind"] as? String == "group")

        try await bob.succeed(["send", "Hiking", "saturday?"], printing: "sent to Hiking")
        for reader in [alice, carol] {
            let lines = try await reader.jsonLines(["read", "--json"])
            let message = try #require(lines.first { $0["text"] as? String == "saturday?" }, "\(reader.name): \(lines)")
            #expect(message["conversationName"] as? String == "Hiking")
            #expect(message["sender"] as? String == "bob")
            #expect(message["direct"] as? Bool == false)
        }

        try await alice.succeed(["group", "rename", "Hiking", "Hiking 2027"], printing: "renamed Hiking to Hiking 2027")
        try await alice.succeed(["group", "remove", "Hiking 2027", "dave"], printing: "removed dave")
        let renamed = try await carol.succeed(["group", "list"])
        #expect(renamed.contains("Hiking 2027: alice, bob, carol"))
        try await carol.succeed(["send", "Hiking 2027", "without dave"])
        let daveView = try await dave.succeed(["read"])
        #expect(daveView.contains("saturday?"))
        #expect(!daveView.contains("without dave"))
        let daveAfter = try await dave.succeed(["read", "--peek"])
        #expect(!daveAfter.contains("without dave"))

        // Bob blocks alice: her messages no longer reach bob's view; carol's still do.
        try await bob.succeed(["read"])
        try await bob.succeed(["contacts", "block", "alice"], printing: "blocked alice")
        try await alice.succeed(["send", "Hiking 2027", "from alice after the block"])
        try await carol.succeed(["send", "Hiking 2027", "from carol after the block"])
        let bobView = try await bob.jsonLines(["read", "--json"])
        #expect(bobView.contains { $0["text"] as? String == "from carol after the block" }, "\(bobView)")
        #expect(!bobView.contains { $0["text"] as? String == "from alice after the block" })
        let blocked = try await bob.jsonLines(["contacts", "list", "--json"])
        #expect(blocked.contains { $0["username"] as? String == "alice" && $0["state"] as? String == "blocked" })
        // Carol still gets alice's message: the block lives on bob's devices only.
        #expect(try await carol.succeed(["read"]).contains("from alice after the block"))

        try await carol.succeed(["group", "leave", "Hiking 2027"], printing: "left Hiking 2027")
        #expect(try await carol.jsonLines(["group", "list", "--json"]).isEmpty)
        await server.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func readFollowPrintsLiveMessagesAndStopsOnSIGTERM() async throws {
        let server = ChildServer()
        try await server.start()
        let alice = try await CLIAccount.create("alice", on: server)
        let bob = try await CLIAccount.create("bob", on: server)
        try await alice.succeed(["contacts", "add", "bob"])
        try await bob.succeed(["contacts", "accept", "alice"])

        let follower = try ChildProcess(arguments: ["read", "--follow", "--json", "--home", bob.home])
        // Give it time to connect and subscribe, then send two messages.
        try await Task.sleep(for: .seconds(2))
        try await alice.succeed(["send", "bob", "live one"])
        try await alice.succeed(["send", "bob", "live two"])
        let deadline = ContinuousClock.now + .seconds(60)
        while !follower.stdout.text.contains("live two"), follower.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        await follower.kill(SIGTERM)
        #expect(follower.process.endStatus == 0, "\(follower.stderr.text)")
        let lines = follower.stdout.text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        #expect(lines.map { $0["text"] as? String } == ["live one", "live two"], "\(follower.stdout.text)")
        await server.stop()
    }
}

/// One account's home, driven through the `tacit` binary.
struct CLIAccount {
    let name: String
    let home: String

    static func create(_ name: String, on server: ChildServer) async throws -> CLIAccount {
        let account = CLIAccount(name: name, home: TemporaryDirectory.make("cli-\(name)").path)
        try await account.succeed(["account", "create", name, "--server", server.url], printing: "created account \(name)")
        return account
    }

    func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(arguments + ["--home", home], timeout: 90)
    }

    /// Runs a command that must succeed; returns its standard output.
    @discardableResult
    func succeed(_ arguments: [String], printing expected: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await run(arguments)
        #expect(result.status == 0, "\(name): tacit \(arguments.joined(separator: " ")): \(result.stderr)",
                sourceLocation: sourceLocation)
        if let expected {
            #expect(result.stdout.contains(expected), "\(name): \(result.stdout)", sourceLocation: sourceLocation)
        }
        return result.stdout
    }

    /// Runs a `--json` command; returns its lines as objects.
    func jsonLines(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: Any]] {
        let output = try await succeed(arguments, sourceLocation: sourceLocation)
        return try output.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }
}
