import Testing
import TacitMLS

@Suite("Welcome (welcome.json)")
struct WelcomeVectorTests {
    struct Entry: Decodable {
        let cipher_suite: UInt16
        let init_priv: HexBytes
        let signer_pub: HexBytes
        let key_package: HexBytes
        let welcome: HexBytes
    }

    @Test("every entry: group secrets and GroupInfo decrypt, GroupInfo signature and confirmation tag verify")
    func vectors() throws {
        let entries = try TestVectors.load("welcome.json", as: [Entry].self)
        #expect(entries.count == 2)
        for (number, entry) in entries.enumerated() {
            let suite = try CipherSuiteID(rawValue: entry.cipher_suite).suite()
            guard case .keyPackage(let keyPackage) = try MLSMessage(mlsEncoded: entry.key_package.bytes).body,
                  case .welcome(let welcome) = try MLSMessage(mlsEncoded: entry.welcome.bytes).body else {
                Issue.record("entry \(number): wrong message types")
                continue
            }
            let decrypted = try welcome.decrypt(for: keyPackage, initPrivateKey: entry.init_priv.bytes)
            let info = decrypted.groupInfo
            #expect(info.verifySignature(suite: suite, signatureKey: entry.signer_pub.bytes), "entry \(number)")
            let secrets = try EpochSecrets(suite: suite, joinerSecret: decrypted.groupSecrets.joinerSecret,
                                           pskSecret: nil, groupContext: info.groupContext)
            #expect(ConfirmationTag.verify(info.confirmationTag, suite: suite, confirmationKey: secrets.confirmationKey,
                                           confirmedTranscriptHash: info.groupContext.confirmedTranscriptHash),
                    "entry \(number)")

            // A wrong init key cannot open the group secrets.
            let wrongKey = suite.generateHPKEKeyPair().privateKey
            #expect(throws: MLSGroupError.self) { try welcome.decrypt(for: keyPackage, initPrivateKey: wrongKey) }
        }
    }
}
