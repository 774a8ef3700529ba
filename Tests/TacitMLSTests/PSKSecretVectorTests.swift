import Testing
import TacitConformance
@testable import TacitMLS

/// psk_secret.json: the PSK chain of RFC 9420, Section 8.4.
@Suite("PSK secret vectors")
struct PSKSecretVectorTests {
    @Test("every entry of psk_secret.json gives its psk_secret")
    func allEntries() throws {
        try expectVectorsPass(PSKSecretVectorRunner.self, "psk_secret.json", entries: 22)
    }

    @Test("PreSharedKeyID round-trips both kinds and refuses unknown types")
    func pskIDCodec() throws {
        let external = PreSharedKeyID(kind: .external(pskID: [1, 2]), nonce: [3])
        #expect(external.mlsEncoded == [1, 2, 1, 2, 1, 3])
        #expect(try PreSharedKeyID(mlsEncoded: external.mlsEncoded) == external)
        let resumption = PreSharedKeyID(kind: .resumption(usage: .branch, groupID: [9], epoch: 7), nonce: [4])
        #expect(resumption.mlsEncoded == [2, 3, 1, 9, 0, 0, 0, 0, 0, 0, 0, 7, 1, 4])
        #expect(try PreSharedKeyID(mlsEncoded: resumption.mlsEncoded) == resumption)
        #expect(throws: MLSCodingError.unknownEnumValue(type: "PSKType", value: 0)) {
            try PreSharedKeyID(mlsEncoded: [0, 0, 0])
        }
        #expect(throws: MLSCodingError.unknownEnumValue(type: "ResumptionPSKUsage", value: 4)) {
            try PreSharedKeyID(mlsEncoded: [2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        }
        #expect(throws: MLSCodingError.self) { try PreSharedKeyID(mlsEncoded: resumption.mlsEncoded.dropLast()) }
        #expect(!String(describing: PreSharedKey(id: external, secret: [0xde, 0xad])).contains("dead"))
    }
}
