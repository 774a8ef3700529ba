import Crypto
import Foundation

/// The MLS cipher suites built on DHKEM(X25519, HKDF-SHA256), SHA-256 and Ed25519, which
/// differ only in their AEAD (RFC 9420, Section 17.1):
///
/// - 0x0001 `MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519` (``aes128GCM``)
/// - 0x0003 `MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519` (``chaCha20Poly1305``)
///
/// Signature private keys are 32-byte Ed25519 seeds; HPKE private keys are raw 32-byte
/// X25519 scalars.
public struct X25519SHA256Ed25519Suite: CipherSuite {
    /// The symmetric cipher used for message protection and inside HPKE.
    public enum AEAD: Sendable, Hashable {
        /// AES-128-GCM (suite 1).
        case aes128GCM
        /// ChaCha20-Poly1305 (suite 3).
        case chaCha20Poly1305
    }

    /// Suite 1.
    public static let aes128GCM = X25519SHA256Ed25519Suite(aead: .aes128GCM)
    /// Suite 3.
    public static let chaCha20Poly1305 = X25519SHA256Ed25519Suite(aead: .chaCha20Poly1305)

    /// This suite's AEAD.
    public let aead: AEAD

    private init(aead: AEAD) { self.aead = aead }

    public var id: CipherSuiteID {
        switch aead {
        case .aes128GCM: .mls128X25519AES128GCMSHA256Ed25519
        case .chaCha20Poly1305: .mls128X25519ChaCha20Poly1305SHA256Ed25519
        }
    }

    public var hashLength: Int { 32 }

    public var aeadKeyLength: Int {
        switch aead {
        case .aes128GCM: 16
        case .chaCha20Poly1305: 32
        }
    }

    public var aeadNonceLength: Int { 12 }

    private var hpkeSuite: HPKE.Ciphersuite {
        HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256,
                         aead: aead == .aes128GCM ? .AES_GCM_128 : .chaChaPoly)
    }

    // MARK: Hash, MAC, KDF

    public func hash(_ data: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: data)) }

    public func mac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    public func extract(salt: [UInt8], inputKeyMaterial: [UInt8]) -> [UInt8] {
        Array(HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: inputKeyMaterial), salt: salt))
    }

    public func expand(pseudoRandomKey: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        // RFC 5869 limits the output to 255 blocks; checked here so bad input throws, not traps.
        guard length >= 0, length <= 255 * hashLength else { throw CipherSuiteError.invalidOutputLength(length) }
        if length == 0 { return [] }
        let key = HKDF<SHA256>.expand(pseudoRandomKey: pseudoRandomKey, info: info, outputByteCount: length)
        return key.withUnsafeBytes { Array($0) }
    }

    // MARK: AEAD

    public func seal(key: [UInt8], nonce: [UInt8], associatedData: [UInt8], plaintext: [UInt8]) throws -> [UInt8] {
        guard key.count == aeadKeyLength, nonce.count == aeadNonceLength else {
            throw CipherSuiteError.invalidKeyOrNonceLength
        }
        let symmetricKey = SymmetricKey(data: key)
        switch aead {
        case .aes128GCM:
            let box = try AES.GCM.seal(plaintext, using: symmetricKey, nonce: AES.GCM.Nonce(data: nonce),
                                       authenticating: associatedData)
            return Array(box.ciphertext) + Array(box.tag)
        case .chaCha20Poly1305:
            let box = try ChaChaPoly.seal(plaintext, using: symmetricKey, nonce: ChaChaPoly.Nonce(data: nonce),
                                          authenticating: associatedData)
            return Array(box.ciphertext) + Array(box.tag)
        }
    }

    public func open(key: [UInt8], nonce: [UInt8], associatedData: [UInt8], ciphertext: [UInt8]) throws -> [UInt8] {
        guard key.count == aeadKeyLength, nonce.count == aeadNonceLength else {
            throw CipherSuiteError.invalidKeyOrNonceLength
        }
        let tagLength = 16
        guard ciphertext.count >= tagLength else { throw CipherSuiteError.decryptionFailed }
        let body = ciphertext[..<(ciphertext.count - tagLength)]
        let tag = ciphertext[(ciphertext.count - tagLength)...]
        let symmetricKey = SymmetricKey(data: key)
        do {
            switch aead {
            case .aes128GCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: body, tag: tag)
                return Array(try AES.GCM.open(box, using: symmetricKey, authenticating: associatedData))
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: body, tag: tag)
                return Array(try ChaChaPoly.open(box, using: symmetricKey, authenticating: associatedData))
            }
        } catch {
            throw CipherSuiteError.decryptionFailed
        }
    }

    // MARK: HPKE

    private func x25519PublicKey(_ bytes: [UInt8]) throws -> Curve25519.KeyAgreement.PublicKey {
        guard bytes.count == 32, let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes) else {
            throw CipherSuiteError.invalidPublicKey
        }
        return key
    }

    private func x25519PrivateKey(_ bytes: [UInt8]) throws -> Curve25519.KeyAgreement.PrivateKey {
        guard bytes.count == 32, let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes) else {
            throw CipherSuiteError.invalidPrivateKey
        }
        return key
    }

    public func hpkeSeal(publicKey: [UInt8], info: [UInt8], associatedData: [UInt8], plaintext: [UInt8]) throws -> HPKECiphertext {
        let recipient = try x25519PublicKey(publicKey)
        do {
            var sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: hpkeSuite, info: Data(info))
            let ciphertext = try sender.seal(plaintext, authenticating: associatedData)
            return HPKECiphertext(kemOutput: Array(sender.encapsulatedKey), ciphertext: Array(ciphertext))
        } catch {
            throw CipherSuiteError.hpkeFailure
        }
    }

    public func hpkeOpen(privateKey: [UInt8], info: [UInt8], associatedData: [UInt8], ciphertext: HPKECiphertext) throws -> [UInt8] {
        let key = try x25519PrivateKey(privateKey)
        do {
            var recipient = try HPKE.Recipient(privateKey: key, ciphersuite: hpkeSuite, info: Data(info),
                                               encapsulatedKey: Data(ciphertext.kemOutput))
            return Array(try recipient.open(ciphertext.ciphertext, authenticating: associatedData))
        } catch {
            throw CipherSuiteError.decryptionFailed
        }
    }

    public func hpkeExport(publicKey: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> (kemOutput: [UInt8], secret: [UInt8]) {
        guard length >= 0, length <= 255 * hashLength else { throw CipherSuiteError.invalidOutputLength(length) }
        let recipient = try x25519PublicKey(publicKey)
        do {
            let sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: hpkeSuite, info: Data(info))
            let secret = try sender.exportSecret(context: exporterContext, outputByteCount: length)
            return (Array(sender.encapsulatedKey), secret.withUnsafeBytes { Array($0) })
        } catch {
            throw CipherSuiteError.hpkeFailure
        }
    }

    public func hpkeExport(privateKey: [UInt8], kemOutput: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> [UInt8] {
        guard length >= 0, length <= 255 * hashLength else { throw CipherSuiteError.invalidOutputLength(length) }
        let key = try x25519PrivateKey(privateKey)
        do {
            let recipient = try HPKE.Recipient(privateKey: key, ciphersuite: hpkeSuite, info: Data(info),
                                               encapsulatedKey: Data(kemOutput))
            let secret = try recipient.exportSecret(context: exporterContext, outputByteCount: length)
            return secret.withUnsafeBytes { Array($0) }
        } catch {
            throw CipherSuiteError.hpkeFailure
        }
    }

    /// RFC 9180, Section 7.1.3, for DHKEM(X25519, HKDF-SHA256): the private key is
    /// `LabeledExpand(LabeledExtract("", "dkp_prk", ikm), "sk", "", 32)`; X25519 needs no
    /// rejection sampling.
    public func deriveHPKEKeyPair(inputKeyMaterial: [UInt8]) throws -> HPKEKeyPair {
        let suiteID = Array("KEM".utf8) + [0x00, 0x20]
        let version = Array("HPKE-v1".utf8)
        let prk = extract(salt: [], inputKeyMaterial: version + suiteID + Array("dkp_prk".utf8) + inputKeyMaterial)
        let info = UInt16(32).mlsEncoded + version + suiteID + Array("sk".utf8)
        let privateKey = try expand(pseudoRandomKey: prk, info: info, length: 32)
        return HPKEKeyPair(privateKey: privateKey, publicKey: try hpkePublicKey(privateKey: privateKey))
    }

    public func generateHPKEKeyPair() -> HPKEKeyPair {
        let key = Curve25519.KeyAgreement.PrivateKey()
        return HPKEKeyPair(privateKey: Array(key.rawRepresentation), publicKey: Array(key.publicKey.rawRepresentation))
    }

    public func hpkePublicKey(privateKey: [UInt8]) throws -> [UInt8] {
        Array(try x25519PrivateKey(privateKey).publicKey.rawRepresentation)
    }

    // MARK: Signatures

    private func signingKey(_ bytes: [UInt8]) throws -> Curve25519.Signing.PrivateKey {
        guard bytes.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw CipherSuiteError.invalidPrivateKey
        }
        return key
    }

    public func generateSignatureKeyPair() -> SignatureKeyPair {
        let key = Curve25519.Signing.PrivateKey()
        return SignatureKeyPair(privateKey: Array(key.rawRepresentation), publicKey: Array(key.publicKey.rawRepresentation))
    }

    public func signaturePublicKey(privateKey: [UInt8]) throws -> [UInt8] {
        Array(try signingKey(privateKey).publicKey.rawRepresentation)
    }

    public func sign(privateKey: [UInt8], message: [UInt8]) throws -> [UInt8] {
        let key = try signingKey(privateKey)
        do {
            return Array(try key.signature(for: message))
        } catch {
            throw CipherSuiteError.signingFailed
        }
    }

    public func verify(publicKey: [UInt8], message: [UInt8], signature: [UInt8]) -> Bool {
        guard publicKey.count == 32, signature.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
