import Testing
import TacitConformance

/// deserialization.json: variable-length vector headers (RFC 9420, Section 2.1.2).
@Suite("Deserialization vectors")
struct DeserializationVectorTests {
    @Test("every vlbytes header decodes to its length, the length encodes to it, and bodies must fit exactly")
    func allEntries() throws {
        try expectVectorsPass(DeserializationVectorRunner.self, "deserialization.json", entries: 14)
    }
}
