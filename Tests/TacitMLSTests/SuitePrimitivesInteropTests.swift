import Crypto
import Foundation
import Testing
import TacitMLS

/// The suite's own HMAC, HKDF and HPKE (base mode) against swift-crypto's generic ones:
/// same outputs, and ciphertexts each side can open.
@Suite("Suite primitives match swift-crypto")
struct SuitePrimitivesInteropTests {
    static let suites: [(X25519SHA256Ed25519Suite, HPKE.Ciphersuite)] = [
        (.aes128GCM, HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)),
        (.chaCha20Poly1305, HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .chaChaPoly)),
    ]

    static func bytes(_ count: Int, seed: UInt8) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) &+ seed } }

    @Test("MAC, Extract and Expand equal HMAC<SHA256> and HKDF<SHA256>", arguments: [0, 1, 31, 32, 33, 64, 65, 200])
    func kdf(keyLength: Int) throws {
        let suite = X25519SHA256Ed25519Suite.aes128GCM
        let key = Self.bytes(keyLength, seed: 7), data = Self.bytes(77, seed: 3)
        #expect(suite.mac(key: key, data: data) == Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key))))
        #expect(suite.extract(salt: key, inputKeyMaterial: data)
            == Array(HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: data), salt: key)))
        for length in [1, 16, 32, 33, 64, 100, 255 * 32] {
            let expected = HKDF<SHA256>.expand(pseudoRandomKey: key, info: data, outputByteCount: length)
            #expect(try suite.expand(pseudoRandomKey: key, info: data, length: length) == expected.withUnsafeBytes { Array($0) })
        }
        #expect(suite.hash(data) == Array(SHA256.hash(data: data)))
    }

    @Test("a sealed message opens with swift-crypto, and the other way round")
    func sealAndOpen() throws {
        for (suite, ciphersuite) in Self.suites {
            let recipient = Curve25519.KeyAgreement.PrivateKey()
            let info = Self.bytes(40, seed: 1), aad = Self.bytes(9, seed: 2), plaintext = Self.bytes(50, seed: 5)

            let ours = try suite.hpkeSeal(publicKey: Array(recipient.publicKey.rawRepresentation), info: info,
                                          associatedData: aad, plaintext: plaintext)
            var theirRecipient = try HPKE.Recipient(privateKey: recipient, ciphersuite: ciphersuite, info: Data(info),
                                                    encapsulatedKey: Data(ours.kemOutput))
            #expect(Array(try theirRecipient.open(ours.ciphertext, authenticating: aad)) == plaintext)

            var theirSender = try HPKE.Sender(recipientKey: recipient.publicKey, ciphersuite: ciphersuite, info: Data(info))
            let theirs = HPKECiphertext(kemOutput: Array(theirSender.encapsulatedKey),
                                        ciphertext: Array(try theirSender.seal(plaintext, authenticating: aad)))
            #expect(try suite.hpkeOpen(privateKey: Array(recipient.rawRepresentation), info: info, associatedData: aad,
                                       ciphertext: theirs) == plaintext)

            var tampered = theirs
            tampered.ciphertext[0] ^= 1
            #expect(throws: CipherSuiteError.decryptionFailed) {
                try suite.hpkeOpen(privateKey: Array(recipient.rawRepresentation), info: info, associatedData: aad,
                                   ciphertext: tampered)
            }
            #expect(throws: CipherSuiteError.decryptionFailed) {
                try suite.hpkeOpen(privateKey: Array(recipient.rawRepresentation), info: Self.bytes(40, seed: 9),
                                   associatedData: aad, ciphertext: theirs)
            }
        }
    }

    @Test("exported secrets agree with swift-crypto's exporter")
    func export() throws {
        for (suite, ciphersuite) in Self.suites {
            let recipient = Curve25519.KeyAgreement.PrivateKey()
            let context = Array("MLS 1.0 external init secret".utf8)

            let ours = try suite.hpkeExport(publicKey: Array(recipient.publicKey.rawRepresentation), info: [],
                                            exporterContext: context, length: 32)
            let theirRecipient = try HPKE.Recipient(privateKey: recipient, ciphersuite: ciphersuite, info: Data(),
                                                    encapsulatedKey: Data(ours.kemOutput))
            let theirSecret = try theirRecipient.exportSecret(context: context, outputByteCount: 32)
            #expect(ours.secret == theirSecret.withUnsafeBytes { Array($0) })

            let theirSender = try HPKE.Sender(recipientKey: recipient.publicKey, ciphersuite: ciphersuite, info: Data())
            let senderSecret = try theirSender.exportSecret(context: context, outputByteCount: 48)
            #expect(try suite.hpkeExport(privateKey: Array(recipient.rawRepresentation), kemOutput: Array(theirSender.encapsulatedKey),
                                         info: [], exporterContext: context, length: 48)
                == senderSecret.withUnsafeBytes { Array($0) })
        }
    }

    @Test("an all-zero shared secret (a low-order public key) is refused")
    func lowOrderPoint() {
        let suite = X25519SHA256Ed25519Suite.aes128GCM
        // The point of order 1 (u = 0) makes every X25519 output zero.
        #expect(throws: CipherSuiteError.hpkeFailure) {
            try suite.hpkeSeal(publicKey: [UInt8](repeating: 0, count: 32), info: [], associatedData: [], plaintext: [1])
        }
    }

    @Test("a prepared signing key's signatures verify, as the raw key's do")
    func preparedKey() throws {
        let suite = X25519SHA256Ed25519Suite.aes128GCM
        let pair = suite.generateSignatureKeyPair()
        let prepared = try suite.preparedSigningKey(privateKey: pair.privateKey)
        let message = Self.bytes(100, seed: 4)
        let signature = try prepared.sign(message)
        #expect(suite.verify(publicKey: pair.publicKey, message: message, signature: signature))
        #expect(!suite.verify(publicKey: pair.publicKey, message: Self.bytes(100, seed: 5), signature: signature))
        #expect(suite.verify(publicKey: pair.publicKey, message: message,
                             signature: try suite.sign(privateKey: pair.privateKey, message: message)))
        #expect(throws: CipherSuiteError.invalidPrivateKey) { try suite.preparedSigningKey(privateKey: [1, 2, 3]) }
    }
}
