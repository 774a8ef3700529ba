import Testing
import TacitConformance

/// messages.json: every structure and every MLSMessage decodes and re-encodes byte-exact.
@Suite("messages.json: decode and re-encode byte-exact")
struct MessagesVectorTests {
    typealias Entry = MessagesVectorRunner.Entry

    @Test("all 300 entries: messages, proposals, Commit, GroupSecrets and ratchet trees")
    func allEntries() throws {
        try expectVectorsPass(MessagesVectorRunner.self, "messages.json", entries: 300)
    }
}
