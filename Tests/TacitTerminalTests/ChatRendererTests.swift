import Testing
import TacitTerminal

@Suite struct ChatRendererTests {
    /// Alice's screen: two conversations, bob's messages, her replies with receipts.
    func sampleScreen() -> ChatScreen {
        var screen = ChatScreen(account: "alice")
        screen.setConversations([
            ConversationRow(id: "aa", title: "bob", members: ["alice", "bob"]),
            ConversationRow(id: "bb", title: "Hiking", unread: 3, isGroup: true, members: ["alice", "bob", "carol"],
                            someoneTyping: true),
        ])
        screen.messages = [
            MessageRow(id: "1", sender: "bob", time: "14:01", text: "hi alice"),
            MessageRow(id: "2", sender: "alice", time: "14:02", text: "hello bob", isOutgoing: true, delivery: .read),
            MessageRow(id: "3", sender: "alice", time: "14:02", text: "are you coming?", isOutgoing: true, delivery: .delivered),
            MessageRow(id: "4", sender: "alice", time: "14:03", text: "still there?", isOutgoing: true, delivery: .sent),
        ]
        screen.typing = ["bob"]
        return screen
    }

    @Test func everyLineIsExactlyTheTerminalWidth() {
        let renderer = ChatRenderer(ascii: false)
        for (width, height) in [(80, 24), (20, 6), (45, 10), (132, 50)] {
            let frame = renderer.render(sampleScreen(), width: width, height: height)
            #expect(frame.lines.count == height)
            for line in frame.lines { #expect(CellWidth.of(line) == width, "\(width)x\(height): \(line)") }
        }
    }

    @Test func the80x24LayoutShowsListHistoryReceiptsTypingAndCounts() {
        let frame = ChatRenderer(ascii: false).render(sampleScreen(), width: 80, height: 24)
        let text = frame.plainText
        #expect(frame.lines[0].hasPrefix(" tacit: alice"))
        #expect(text.contains("> bob"))
        #expect(text.contains("#Hiking"))
        #expect(text.contains("(3)"))
        #expect(text.contains("14:01 bob: hi alice"))
        #expect(text.contains("hello bob ✓✓ read"))
        #expect(text.contains("are you coming? ✓✓"))
        #expect(text.contains("still there? ✓"))
        #expect(frame.lines[22].hasPrefix(" bob is typing…"))
        #expect(frame.lines[23].hasPrefix("> "))
        #expect(frame.cursorRow == 23 && frame.cursorColumn == 2)
        // The newest message sits right above the rule.
        #expect(frame.lines[20].contains("still there?"))
    }

    @Test func asciiModeDrawsOnlyASCII() {
        var screen = sampleScreen()
        screen.messages.append(MessageRow(id: "5", sender: "bob", time: "14:04", text: "日本 👍 ok",
                                          reactions: [.init(emoji: "👍", count: 2)]))
        let frame = ChatRenderer(ascii: true).render(screen, width: 80, height: 24)
        for line in frame.lines { #expect(line.allSatisfy { $0.isASCII }, "\(line)") }
        #expect(frame.plainText.contains("hello bob (read)"))
        #expect(frame.plainText.contains("bob is typing..."))
        #expect(frame.plainText.contains("14:04 bob: ?? ? ok"))
    }

    @Test func longMessagesWrapUnderTheirTextAndRepliesQuoteTheOriginal() throws {
        var screen = sampleScreen()
        let long = String(repeating: "word ", count: 30) + "end"
        screen.messages = [MessageRow(id: "9", sender: "bob", time: "09:00", text: long,
                                      replyTo: (sender: "alice", text: "what do you say?"), isEdited: true)]
        let frame = ChatRenderer(ascii: false).render(screen, width: 80, height: 24)
        let pane = frame.lines.map { String($0.split(separator: "│", maxSplits: 1, omittingEmptySubsequences: false).last ?? "") }
        let first = try #require(pane.firstIndex { $0.contains("09:00 bob: word") })
        #expect(pane[first - 1].contains("↳ alice: what do you say?"))
        // Continuation lines start under the text, not under the time.
        #expect(pane[first + 1].hasPrefix(String(repeating: " ", count: 12) + "word"))
        #expect(frame.plainText.contains("end (edited)"))
    }

    @Test func aNarrowTerminalDropsTheListAndATinyOneSaysSo() {
        let narrow = ChatRenderer(ascii: false).render(sampleScreen(), width: 40, height: 12)
        #expect(!narrow.plainText.contains("#Hiking"))
        #expect(narrow.lines[0].contains("bob"))
        let tiny = ChatRenderer(ascii: false).render(sampleScreen(), width: 10, height: 3)
        #expect(tiny.lines[0].hasPrefix("terminal t"))
    }

    @Test func hostileTextFromOthersCannotMoveTheCursor() {
        var screen = sampleScreen()
        screen.conversations[0].title = "evil\u{1B}[H\u{1B}[2J"
        screen.messages = [MessageRow(id: "x", sender: "mallory\u{1B}]0;t\u{07}", time: "00:00", text: "\u{1B}[31mred\r\nline")]
        let frame = ChatRenderer(ascii: false).render(screen, width: 80, height: 24)
        for line in frame.lines { #expect(!line.unicodeScalars.contains { $0.value < 0x20 }) }
    }

    @Test func selectionWrapsAndSurvivesAReorderedList() {
        var screen = sampleScreen()
        #expect(screen.selectedConversation?.id == "aa")
        screen.moveSelection(by: 1)
        #expect(screen.selectedConversation?.id == "bb")
        screen.moveSelection(by: 1)
        #expect(screen.selectedConversation?.id == "aa")
        screen.moveSelection(by: -1)
        #expect(screen.selectedConversation?.id == "bb")
        screen.setConversations(Array(screen.conversations.reversed()) + [ConversationRow(id: "cc", title: "carol")])
        #expect(screen.selectedConversation?.id == "bb")
        #expect(screen.message(target: 1)?.id == "4")
        #expect(screen.message(target: 4)?.id == "1")
        #expect(screen.message(target: 5) == nil)
    }

    @Test func scrollingShowsOlderLinesAndTheComposeLineFollowsTheCursor() {
        var screen = sampleScreen()
        screen.messages = (1...40).map { MessageRow(id: "\($0)", sender: "bob", time: "10:00", text: "message \($0)") }
        screen.scrollBack = 10
        let scrolled = ChatRenderer(ascii: false).render(screen, width: 80, height: 24).plainText
        #expect(scrolled.contains("message 30"))
        #expect(!scrolled.contains("message 40"))
        screen.compose = LineEditor(String(repeating: "x", count: 100) + "END")
        let frame = ChatRenderer(ascii: false).render(screen, width: 80, height: 24)
        #expect(frame.lines[23].contains("END"))
        #expect(frame.cursorColumn <= 79)
    }

    @Test func theFrameWriterRewritesOnlyChangedRowsAndAllAfterAResize() {
        var writer = FrameWriter()
        let renderer = ChatRenderer(ascii: false)
        var screen = sampleScreen()
        let first = writer.output(for: renderer.render(screen, width: 80, height: 24))
        #expect(first.contains("\u{1B}[2J"))
        #expect(first.contains("\u{1B}[24;1H"))
        screen.compose.insert("typing")
        let second = writer.output(for: renderer.render(screen, width: 80, height: 24))
        #expect(!second.contains("\u{1B}[2J"))
        #expect(second.contains("\u{1B}[24;1H> typing\u{1B}[K"))
        #expect(!second.contains("\u{1B}[1;1H"))  // the header did not change
        let resized = writer.output(for: renderer.render(screen, width: 100, height: 30))
        #expect(resized.contains("\u{1B}[2J"))
        #expect(resized.contains("\u{1B}[30;1H> typing"))
    }
}
