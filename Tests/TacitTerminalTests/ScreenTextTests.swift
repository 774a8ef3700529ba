import Testing
import TacitTerminal

@Suite struct ScreenTextTests {
    @Test func cellWidthsOfNarrowWideAndCombiningText() {
        #expect(CellWidth.of("hello") == 5)
        #expect(CellWidth.of("日本") == 4)
        #expect(CellWidth.of("👍") == 2)
        #expect(CellWidth.of("e\u{301}") == 1)  // e + combining acute: one cell
        #expect(CellWidth.of("❤️") == 2)  // with the emoji presentation selector
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        let hostile = "hi\u{1B}[2J\u{1B}]0;owned\u{07}\u{9B}31m\tthere"
        let safe = ScreenText.sanitized(hostile, ascii: false)
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(safe.hasPrefix("hi?[2J?]0;owned?"))
        #expect(safe.hasSuffix(" there"))
        #expect(ScreenText.sanitized("café 日本", ascii: true) == "caf? ??")
    }

    @Test func truncationCountsCellsAndNeverSplitsAWideCharacter() {
        #expect(ScreenText.truncated("abcdef", to: 4) == "abcd")
        #expect(ScreenText.truncated("abcdef", to: 4, ellipsis: "…") == "abc…")
        #expect(ScreenText.truncated("abc", to: 4, ellipsis: "…") == "abc")
        #expect(ScreenText.truncated("日本語", to: 5) == "日本")
        #expect(CellWidth.of(ScreenText.padded("日本語", to: 5)) == 5)
        #expect(ScreenText.truncated("x", to: 0) == "")
    }

    @Test func wrappingBreaksAtSpacesThenInsideLongWords() {
        #expect(ScreenText.wrapped("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(ScreenText.wrapped("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
        #expect(ScreenText.wrapped("one\ntwo", width: 10) == ["one", "two"])
        #expect(ScreenText.wrapped("日本語のテキスト", width: 5) == ["日本", "語の", "テキ", "スト"])
        for line in ScreenText.wrapped("a very long line with 日本語 and emoji 👍👍👍 mixed in", width: 7) {
            #expect(CellWidth.of(line) <= 7)
        }
    }

    @Test func lineEditorInsertsDeletesAndMoves() {
        var editor = LineEditor()
        editor.insert("helo")
        editor.moveLeft()
        editor.insert("l")
        #expect(editor.text == "hello")
        editor.moveToStart()
        editor.deleteForward()
        #expect(editor.text == "ello")
        editor.moveToEnd()
        editor.insert(" world")
        editor.deleteWordBackward()
        #expect(editor.text == "ello ")
        editor.deleteBackward()
        #expect(editor.take() == "ello")
        #expect(editor.isEmpty && editor.cursor == 0)
    }
}
