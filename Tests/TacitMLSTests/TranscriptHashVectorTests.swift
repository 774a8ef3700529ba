import Testing
import TacitConformance
@testable import TacitMLS

/// transcript-hashes.json: confirmed/interim transcript hashes and the confirmation tag (RFC 9420, Section 8.2).
@Suite("Transcript hash vectors")
struct TranscriptHashVectorTests {
    @Test("every entry of transcript-hashes.json matches; changed tags, keys and encodings are refused")
    func allEntries() throws {
        try expectVectorsPass(TranscriptHashVectorRunner.self, "transcript-hashes.json", entries: 2)
    }

    @Test("transcript hashes need a Commit")
    func notACommit() throws {
        let suite = X25519SHA256Ed25519Suite.aes128GCM
        let content = AuthenticatedContent(
            wireFormat: .publicMessage,
            content: FramedContent(groupID: [1], epoch: 0, sender: .member(LeafIndex(0)), body: .application([1])),
            auth: FramedContentAuthData(signature: [2]))
        #expect(throws: FramingError.notACommit) {
            try TranscriptHash.confirmed(suite: suite, interimTranscriptHash: [], commit: content)
        }
    }
}
