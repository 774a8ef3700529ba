import Testing
import TacitConformance

/// message-protection.json: PublicMessage and PrivateMessage, given and our own (RFC 9420, Section 6).
@Suite("Message protection vectors")
struct MessageProtectionVectorTests {
    @Test("every entry of message-protection.json: given messages open, own messages round-trip")
    func allEntries() throws {
        try expectVectorsPass(MessageProtectionVectorRunner.self, "message-protection.json", entries: 2)
    }
}
