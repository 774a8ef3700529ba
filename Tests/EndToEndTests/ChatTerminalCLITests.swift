import Foundation
import Testing

/// `tacit chat` in pseudo-terminals at 80×24: alice types, bob's `tacit read` gets it, the
/// screen redraws on resize, bob answers from his own `tacit chat`, alice sees his typing
/// indicator and the read receipt, and both quit leaving their terminals as they were.
///
/// With `TACIT_CHAT_CAPTURE=FILE` in the environment, alice's final screen is written there.
@Suite struct ChatTerminalCLITests {
    @Test(.timeLimit(.minutes(4)))
    func chatInAPseudoTerminal() async throws {
        let server = ChildServer()
        try await server.start()
        let alice = try await CLIAccount.create("alice", on: server)
        let bob = try await CLIAccount.create("bob", on: server)
        try await alice.succeed(["contacts", "add", "bob"])
        try await bob.succeed(["contacts", "accept", "alice"])

        let aliceChat = try PseudoTerminalChild(arguments: ["chat", "--home", alice.home])
        try await aliceChat.waitForScreen("alice's conversation list") { $0.contains("tacit: alice") && $0.contains("> bob") }
        try await aliceChat.typeSlowly("Hi Bob! Lunch at noon?")
        aliceChat.type("\r")
        try await aliceChat.waitForScreen("the sent mark") { $0.contains("alice: Hi Bob! Lunch at noon? ✓") }
        let lines = aliceChat.screenLines
        #expect(lines.count == 24)
        #expect(lines[23].trimmingCharacters(in: .whitespaces) == ">")  // the compose line is empty again

        // Bob reads it with the scriptable command; alice's screen shows the read receipt.
        let read = try await bob.jsonLines(["read", "--json"])
        #expect(read.contains { $0["text"] as? String == "Hi Bob! Lunch at noon?" && $0["sender"] as? String == "alice" })
        try await aliceChat.waitForScreen("the read receipt") { $0.contains("Lunch at noon? ✓✓ read") }

        // A bigger window: everything is drawn again for 100×30, and back.
        aliceChat.resize(width: 100, height: 30)
        try await aliceChat.waitForScreen("the redraw at 100x30") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count == 30 && lines[27].count == 100 && lines[29].hasPrefix(">")
                && screen.contains("Lunch at noon?")
        }
        aliceChat.resize(width: 80, height: 24)
        try await aliceChat.waitForScreen("the redraw at 80x24") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count == 24 && lines[21].count == 80 && screen.contains("Lunch at noon?")
        }

        // Bob answers from his own chat, then starts another message: alice sees him typing.
        let bobChat = try PseudoTerminalChild(arguments: ["chat", "--home", bob.home])
        try await bobChat.waitForScreen("bob's chat with alice") { $0.contains("alice: Hi Bob! Lunch at noon?") }
        try await bobChat.typeSlowly("Sure, see you at the usual place.")
        bobChat.type("\r")
        try await aliceChat.waitForScreen("bob's answer") { $0.contains("bob: Sure, see you at the usual place.") }
        try await bobChat.waitForScreen("bob's read receipt") { $0.contains("usual place. ✓✓ read") }
        try await aliceChat.typeSlowly("Great, I'll book a table.")
        aliceChat.type("\r")
        try await bobChat.waitForScreen("alice's second message") { $0.contains("alice: Great, I'll book a table.") }
        try await bobChat.typeSlowly("Running 5 min late")
        try await aliceChat.waitForScreen("the typing indicator") { $0.contains("bob is typing…") }
        try await aliceChat.waitForScreen("the read receipt of the second message") {
            $0.contains("book a table. ✓✓ read")
        }

        let capture = aliceChat.screenText
        if let path = ProcessInfo.processInfo.environment["TACIT_CHAT_CAPTURE"] {
            try Data((capture + "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
        // A command in the compose line, then quitting: Ctrl-C for alice, SIGTERM for bob.
        aliceChat.type("/help\r")
        try await aliceChat.waitForScreen("the help") { $0.contains("/group NAME [USER..]") }
        aliceChat.type("\u{03}")
        #expect(await aliceChat.waitForExit() == 0)
        _ = sendSignal(SIGTERM, to: bobChat.process.processIdentifier)
        #expect(await bobChat.waitForExit() == 0)
        for chat in [aliceChat, bobChat] {
            #expect(chat.leftAlternateScreen)
            #expect(chat.terminalIsCooked)
        }
        // Bob's unsent text stayed unsent.
        #expect(!(try await alice.succeed(["read"])).contains("Running 5 min late"))
        await server.stop()
    }
}
