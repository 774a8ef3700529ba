import Testing
import TacitTerminal

@Suite struct ComposeInputTests {
    @Test func plainTextIsAMessage() {
        #expect(ComposeInput(parsing: "hello there") == .message("hello there"))
        #expect(ComposeInput(parsing: "//slash at start") == .message("/slash at start"))
    }

    @Test func commandsParseTheirArguments() {
        #expect(ComposeInput(parsing: "/new Bob") == .command(.direct("bob")))
        #expect(ComposeInput(parsing: "/group Hiking alice bob") == .command(.createGroup(name: "Hiking", members: ["alice", "bob"])))
        #expect(ComposeInput(parsing: "/add carol dave") == .command(.add(["carol", "dave"])))
        #expect(ComposeInput(parsing: "/remove carol") == .command(.remove(["carol"])))
        #expect(ComposeInput(parsing: "/leave") == .command(.leave))
        #expect(ComposeInput(parsing: "/rename Hiking 2027") == .command(.rename("Hiking 2027")))
        #expect(ComposeInput(parsing: "/react 👍") == .command(.react(target: 1, emoji: "👍")))
        #expect(ComposeInput(parsing: "/react #3 👍") == .command(.react(target: 3, emoji: "👍")))
        #expect(ComposeInput(parsing: "/reply #2 2 days later") == .command(.reply(target: 2, text: "2 days later")))
        #expect(ComposeInput(parsing: "/edit fixed typo") == .command(.edit(target: 1, text: "fixed typo")))
        #expect(ComposeInput(parsing: "/recall") == .command(.recall(target: 1)))
        #expect(ComposeInput(parsing: "/accept") == .command(.accept(nil)))
        #expect(ComposeInput(parsing: "/accept alice") == .command(.accept("alice")))
        #expect(ComposeInput(parsing: "/contacts") == .command(.contacts))
        #expect(ComposeInput(parsing: "/QUIT") == .command(.quit))
        #expect(ComposeInput(parsing: "/help") == .command(.help))
    }

    @Test func misusedCommandsSayHowToUseThem() {
        #expect(ComposeInput(parsing: "/new") == .invalid("usage: /new USER"))
        #expect(ComposeInput(parsing: "/react") == .invalid("usage: /react [#N] EMOJI"))
        #expect(ComposeInput(parsing: "/frobnicate") == .invalid("unknown command /frobnicate; type /help"))
    }
}
