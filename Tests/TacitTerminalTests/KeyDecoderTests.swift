import Testing
import TacitTerminal

@Suite struct KeyDecoderTests {
    @Test func textControlKeysAndEscapeSequences() {
        var decoder = KeyDecoder()
        let keys = decoder.decode(Array("hi\r".utf8) + [0x7F, 0x09, 0x03] + Array("\u{1B}[A\u{1B}[B\u{1B}OC\u{1B}[5~\u{1B}[3~\u{1B}[Z".utf8))
        #expect(keys == [.text("hi"), .enter, .backspace, .tab, .control("c"), .up, .down, .right, .pageUp, .delete, .backTab])
        #expect(!decoder.hasPending)
    }

    @Test func sequencesAndUTF8SplitAcrossReadsAreJoined() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B, UInt8(ascii: "[")]) == [])
        #expect(decoder.hasPending)
        #expect(decoder.decode([UInt8(ascii: "A")]) == [.up])
        let thumbs = Array("👍".utf8)
        #expect(decoder.decode(thumbs.prefix(2)) == [])
        #expect(decoder.decode(thumbs.dropFirst(2)) == [.text("👍")])
    }

    @Test func aLoneEscapeIsReportedOnFlush() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B]) == [])
        #expect(decoder.flush() == [.escape])
        #expect(decoder.decode(Array("x".utf8)) == [.text("x")])
    }

    @Test func unknownSequencesAreSwallowed() {
        var decoder = KeyDecoder()
        // F5 (CSI 15~) and a mouse-ish CSI: nothing, and the text after them survives.
        #expect(decoder.decode(Array("\u{1B}[15~\u{1B}[<0;1;2Mok".utf8)) == [.text("ok")])
    }
}
