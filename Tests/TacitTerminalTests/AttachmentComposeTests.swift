import Testing
import TacitTerminal

/// `/save`, the chat command that downloads an attachment.
@Suite struct AttachmentComposeTests {
    @Test func saveTakesAnOptionalTargetAndDirectory() {
        #expect(ComposeInput(parsing: "/save") == .command(.save(target: 1, directory: nil)))
        #expect(ComposeInput(parsing: "/save #3") == .command(.save(target: 3, directory: nil)))
        #expect(ComposeInput(parsing: "/save ~/Downloads") == .command(.save(target: 1, directory: "~/Downloads")))
        #expect(ComposeInput(parsing: "/save #2 /tmp/x") == .command(.save(target: 2, directory: "/tmp/x")))
        #expect(ComposeInput(parsing: "/download #2") == .command(.save(target: 2, directory: nil)))
        #expect(ComposeInput(parsing: "/save a b") == .invalid("usage: /save [#N] [DIR]"))
        #expect(ComposeCommand.helpLines.contains { $0.hasPrefix("/save") })
    }
}
