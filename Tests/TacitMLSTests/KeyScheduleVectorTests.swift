import Testing
import TacitConformance
@testable import TacitMLS

/// key-schedule.json: GroupContext encoding and every epoch output (RFC 9420, Section 8).
@Suite("Key schedule vectors")
struct KeyScheduleVectorTests {
    @Test("every epoch of every entry of key-schedule.json matches, also when joining from joiner_secret")
    func allEntries() throws {
        try expectVectorsPass(KeyScheduleVectorRunner.self, "key-schedule.json", entries: 2)
    }

    @Test("epoch secrets describe themselves without their values")
    func redaction() throws {
        let entry = try #require(try TestVectors.load("key-schedule.json", as: [KeyScheduleVectorRunner.Entry].self).first)
        let epoch = try #require(entry.epochs.first)
        let suite = try CipherSuiteID(rawValue: entry.cipher_suite).suite()
        let context = GroupContext(cipherSuite: suite.id, groupID: entry.group_id.bytes, epoch: 0,
                                   treeHash: epoch.tree_hash.bytes, confirmedTranscriptHash: epoch.confirmed_transcript_hash.bytes)
        let secrets = try EpochSecrets(suite: suite, initSecret: entry.initial_init_secret.bytes,
                                       commitSecret: epoch.commit_secret.bytes, pskSecret: epoch.psk_secret.bytes,
                                       groupContext: context)
        #expect(secrets.initSecret == epoch.init_secret.bytes)
        for secret in [secrets.initSecret, secrets.joinerSecret, secrets.encryptionSecret, secrets.exporterSecret] {
            #expect(!String(describing: secrets).contains(secret.hex))
            #expect(!String(reflecting: secrets).contains(secret.hex))
        }
    }

    @Test("external init: joiner and group derive the same init_secret")
    func externalInit() throws {
        let suite = try CipherSuiteID(rawValue: 1).suite()
        let context = GroupContext(cipherSuite: suite.id, groupID: [1], epoch: 3, treeHash: [2], confirmedTranscriptHash: [3])
        let secrets = try EpochSecrets(suite: suite, initSecret: [UInt8](repeating: 5, count: 32), commitSecret: nil,
                                       pskSecret: nil, groupContext: context)
        let external = try secrets.externalKeyPair()
        let joiner = try ExternalInit.create(suite: suite, externalPublicKey: external.publicKey)
        #expect(joiner.initSecret.count == 32)
        #expect(try ExternalInit.receive(suite: suite, externalPrivateKey: external.privateKey,
                                         kemOutput: joiner.kemOutput) == joiner.initSecret)
        let other = suite.generateHPKEKeyPair()
        #expect(try ExternalInit.receive(suite: suite, externalPrivateKey: other.privateKey,
                                         kemOutput: joiner.kemOutput) != joiner.initSecret)
    }

    @Test("GroupContext refuses truncated and over-long encodings")
    func groupContextStrictness() throws {
        let encoded = GroupContext(cipherSuite: .mls128X25519AES128GCMSHA256Ed25519, groupID: [1, 2], epoch: 9,
                                   treeHash: [3], confirmedTranscriptHash: [4],
                                   extensions: [Extension(type: .externalSenders, data: [5])]).mlsEncoded
        #expect(throws: MLSCodingError.self) { try GroupContext(mlsEncoded: encoded.dropLast()) }
        #expect(throws: MLSCodingError.trailingBytes(count: 1)) { try GroupContext(mlsEncoded: encoded + [0]) }
    }
}
