import Testing
import TacitConformance
@testable import TacitMLS

/// crypto-basics.json: every entry, every operation (RFC 9420, Section 5).
@Suite("Crypto basics vectors")
struct CryptoBasicsVectorTests {
    typealias Entry = CryptoBasicsVectorRunner.Entry

    static func entries() throws -> [Entry] { try TestVectors.load("crypto-basics.json") }

    @Test("every entry of crypto-basics.json verifies")
    func allEntries() throws {
        try expectVectorsPass(CryptoBasicsVectorRunner.self, "crypto-basics.json", entries: 2)
    }

    @Test("a changed signature, label or content does not verify")
    func tamperedSignature() throws {
        for entry in try Self.entries() {
            let suite = try CipherSuiteID(rawValue: entry.cipher_suite).suite()
            let swl = entry.sign_with_label
            var signature = swl.signature.bytes
            signature[0] ^= 0x01
            #expect(!suite.verifyWithLabel(publicKey: swl.pub.bytes, label: swl.label, content: swl.content.bytes, signature: signature))
            #expect(!suite.verifyWithLabel(publicKey: swl.pub.bytes, label: swl.label + "x", content: swl.content.bytes,
                                           signature: swl.signature.bytes))
            #expect(!suite.verifyWithLabel(publicKey: swl.pub.bytes, label: swl.label, content: swl.content.bytes + [0],
                                           signature: swl.signature.bytes))
            #expect(!suite.verifyWithLabel(publicKey: [1, 2, 3], label: swl.label, content: swl.content.bytes,
                                           signature: swl.signature.bytes))
            #expect(!suite.verifyWithLabel(publicKey: swl.pub.bytes, label: swl.label, content: swl.content.bytes,
                                           signature: Array(swl.signature.bytes.dropLast())))
        }
    }

    @Test("a changed HPKE ciphertext or context is refused with a typed error")
    func tamperedHPKE() throws {
        for entry in try Self.entries() {
            let suite = try CipherSuiteID(rawValue: entry.cipher_suite).suite()
            let enc = entry.encrypt_with_label
            var ciphertext = enc.ciphertext.bytes
            ciphertext[ciphertext.count - 1] ^= 0x80
            #expect(throws: CipherSuiteError.decryptionFailed) {
                try suite.decryptWithLabel(privateKey: enc.priv.bytes, label: enc.label, context: enc.context.bytes,
                                           ciphertext: HPKECiphertext(kemOutput: enc.kem_output.bytes, ciphertext: ciphertext))
            }
            #expect(throws: CipherSuiteError.decryptionFailed) {
                try suite.decryptWithLabel(privateKey: enc.priv.bytes, label: enc.label, context: enc.context.bytes + [1],
                                           ciphertext: HPKECiphertext(kemOutput: enc.kem_output.bytes, ciphertext: enc.ciphertext.bytes))
            }
            #expect(throws: CipherSuiteError.invalidPrivateKey) {
                try suite.decryptWithLabel(privateKey: [0], label: enc.label, context: enc.context.bytes,
                                           ciphertext: HPKECiphertext(kemOutput: enc.kem_output.bytes, ciphertext: enc.ciphertext.bytes))
            }
            #expect(throws: CipherSuiteError.invalidPublicKey) {
                try suite.encryptWithLabel(publicKey: [1, 2], label: enc.label, context: [], plaintext: [])
            }
        }
    }

    @Test("AEAD round-trips and refuses changed input", arguments: [UInt16(1), 3])
    func aead(suiteID: UInt16) throws {
        let suite = try CipherSuiteID(rawValue: suiteID).suite()
        let key = [UInt8](repeating: 7, count: suite.aeadKeyLength)
        let nonce = [UInt8](repeating: 9, count: suite.aeadNonceLength)
        let sealed = try suite.seal(key: key, nonce: nonce, associatedData: [1, 2], plaintext: Array("hello".utf8))
        #expect(sealed.count == 5 + 16)
        #expect(try suite.open(key: key, nonce: nonce, associatedData: [1, 2], ciphertext: sealed) == Array("hello".utf8))
        #expect(throws: CipherSuiteError.decryptionFailed) {
            try suite.open(key: key, nonce: nonce, associatedData: [1, 3], ciphertext: sealed)
        }
        #expect(throws: CipherSuiteError.decryptionFailed) {
            try suite.open(key: key, nonce: nonce, associatedData: [1, 2], ciphertext: Array(sealed.prefix(10)))
        }
        #expect(throws: CipherSuiteError.invalidKeyOrNonceLength) {
            try suite.open(key: [1], nonce: nonce, associatedData: [], ciphertext: sealed)
        }
    }

    @Test("sizes, lookup, key pairs and redacted descriptions")
    func sizesAndLookup() throws {
        let one = try CipherSuiteID(rawValue: 1).suite()
        let three = try CipherSuiteID(rawValue: 3).suite()
        #expect((one.hashLength, one.aeadKeyLength, one.aeadNonceLength) == (32, 16, 12))
        #expect((three.hashLength, three.aeadKeyLength, three.aeadNonceLength) == (32, 32, 12))
        #expect(throws: CipherSuiteError.unsupportedCipherSuite(CipherSuiteID(rawValue: 2))) {
            try CipherSuiteID(rawValue: 2).suite()
        }
        #expect(try CipherSuiteID(mlsEncoded: [0x00, 0x03]) == .mls128X25519ChaCha20Poly1305SHA256Ed25519)
        #expect(CipherSuiteID(rawValue: 1).mlsEncoded == [0x00, 0x01])

        let signer = one.generateSignatureKeyPair()
        #expect(try one.signaturePublicKey(privateKey: signer.privateKey) == signer.publicKey)
        #expect(!String(describing: signer).contains(signer.privateKey.hex))
        let hpke = one.generateHPKEKeyPair()
        #expect(try one.hpkePublicKey(privateKey: hpke.privateKey) == hpke.publicKey)
        #expect(!String(describing: hpke).contains(hpke.privateKey.hex))

        // DeriveKeyPair is deterministic, and HPKE export agrees between sender and receiver.
        let derived = try one.deriveHPKEKeyPair(inputKeyMaterial: [UInt8](repeating: 1, count: 32))
        #expect(try one.deriveHPKEKeyPair(inputKeyMaterial: [UInt8](repeating: 1, count: 32)) == derived)
        let sent = try one.hpkeExport(publicKey: derived.publicKey, info: [], exporterContext: Array("ctx".utf8), length: 32)
        let received = try one.hpkeExport(privateKey: derived.privateKey, kemOutput: sent.kemOutput, info: [],
                                          exporterContext: Array("ctx".utf8), length: 32)
        #expect(sent.secret == received)
        #expect(throws: CipherSuiteError.invalidOutputLength(70000)) {
            try one.expandWithLabel(secret: [], label: "x", context: [], length: 70000)
        }
    }
}
