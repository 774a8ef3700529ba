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

    private var hpke: X25519HPKE { X25519HPKE(aead: aead) }

    // MARK: Hash, MAC, KDF

    public func hash(_ data: [UInt8]) -> [UInt8] { SHA256.digestBytes(data) }

    public func mac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        HMACSHA256Key(key: key).authenticationCode(for: data)
    }

    public func extract(salt: [UInt8], inputKeyMaterial: [UInt8]) -> [UInt8] {
        // HKDF-Extract(salt, IKM) = HMAC(salt, IKM); an empty salt pads to the same key block as Nh zeros.
        HMACSHA256Key(key: salt).authenticationCode(for: inputKeyMaterial)
    }

    public func expand(pseudoRandomKey: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        // RFC 5869 limits the output to 255 blocks; checked here so bad input throws, not traps.
        guard length >= 0, length <= 255 * hashLength else { throw CipherSuiteError.invalidOutputLength(length) }
        if length == 0 { return [] }
        // RFC 5869 requires a PRK of at least HashLen bytes; HMAC itself accepts any key, as HKDF<SHA256> did.
        return HMACSHA256Key(key: pseudoRandomKey).expand(info: info, length: length)
    }

    // MARK: AEAD

    public func seal(key: [UInt8], nonce: [UInt8], associatedData: [UInt8], plaintext: [UInt8]) throws -> [UInt8] {
        guard key.count == aeadKeyLength, nonce.count == aeadNonceLength else {
            throw CipherSuiteError.invalidKeyOrNonceLength
        }
        return try Self.aeadSeal(aead, key: key, nonce: nonce, associatedData: associatedData, plaintext: plaintext)
    }

    public func open(key: [UInt8], nonce: [UInt8], associatedData: [UInt8], ciphertext: [UInt8]) throws -> [UInt8] {
        guard key.count == aeadKeyLength, nonce.count == aeadNonceLength else {
            throw CipherSuiteError.invalidKeyOrNonceLength
        }
        return try Self.aeadOpen(aead, key: key, nonce: nonce, associatedData: associatedData, ciphertext: ciphertext)
    }

    /// `AEAD.Seal` with key and nonce of the right sizes: ciphertext followed by the tag.
    static func aeadSeal(_ aead: AEAD, key: [UInt8], nonce: [UInt8], associatedData: [UInt8], plaintext: [UInt8]) throws -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key)
        switch aead {
        case .aes128GCM:
            let box = try AES.GCM.seal(plaintext, using: symmetricKey, nonce: AES.GCM.Nonce(data: nonce),
                                       authenticating: associatedData)
            return Self.joined(box.ciphertext, box.tag)
        case .chaCha20Poly1305:
            let box = try ChaChaPoly.seal(plaintext, using: symmetricKey, nonce: ChaChaPoly.Nonce(data: nonce),
                                          authenticating: associatedData)
            return Self.joined(box.ciphertext, box.tag)
        }
    }

    /// `AEAD.Open` of ciphertext-then-tag; throws ``CipherSuiteError/decryptionFailed`` if it does not authenticate.
    static func aeadOpen(_ aead: AEAD, key: [UInt8], nonce: [UInt8], associatedData: [UInt8], ciphertext: [UInt8]) throws -> [UInt8] {
        let tagLength = 16
        guard ciphertext.count >= tagLength else { throw CipherSuiteError.decryptionFailed }
        let body = ciphertext[..<(ciphertext.count - tagLength)]
        let tag = ciphertext[(ciphertext.count - tagLength)...]
        let symmetricKey = SymmetricKey(data: key)
        do {
            switch aead {
            case .aes128GCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: body, tag: tag)
                return Self.bytes(try AES.GCM.open(box, using: symmetricKey, authenticating: associatedData))
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: body, tag: tag)
                return Self.bytes(try ChaChaPoly.open(box, using: symmetricKey, authenticating: associatedData))
            }
        } catch {
            throw CipherSuiteError.decryptionFailed
        }
    }

    /// Copies `Data` out in one go (iterating it byte by byte is far slower for large messages).
    private static func bytes(_ data: Data) -> [UInt8] {
        data.withUnsafeBytes { Array($0) }
    }

    private static func joined(_ ciphertext: Data, _ tag: Data) -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(ciphertext.count + tag.count)
        ciphertext.withUnsafeBytes { result.append(contentsOf: $0) }
        tag.withUnsafeBytes { result.append(contentsOf: $0) }
        return result
    }

    // MARK: HPKE

    public func hpkeSeal(publicKey: [UInt8], info: [UInt8], associatedData: [UInt8], plaintext: [UInt8]) throws -> HPKECiphertext {
        try hpke.seal(publicKey: publicKey, info: info, associatedData: associatedData, plaintext: plaintext)
    }

    public func hpkeOpen(privateKey: [UInt8], info: [UInt8], associatedData: [UInt8], ciphertext: HPKECiphertext) throws -> [UInt8] {
        try hpke.open(privateKey: privateKey, info: info, associatedData: associatedData, ciphertext: ciphertext)
    }

    public func hpkeExport(publicKey: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> (kemOutput: [UInt8], secret: [UInt8]) {
        guard length >= 0, length <= 255 * hashLength else { throw CipherSuiteError.invalidOutputLength(length) }
        return try hpke.export(publicKey: publicKey, info: info, exporterContext: exporterContext, length: length)
    }

    public func hpkeExport(privateKey: [UInt8], kemOutput: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> [UInt8] {
        guard length >= 0, length <= 255 * hashLength else { throw CipherSuiteError.invalidOutputLength(length) }
        return try hpke.export(privateKey: privateKey, kemOutput: kemOutput, info: info, exporterContext: exporterContext, length: length)
    }

    /// RFC 9180, Section 7.1.3, for DHKEM(X25519, HKDF-SHA256): the private key is
    /// `LabeledExpand(LabeledExtract("", "dkp_prk", ikm), "sk", "", 32)`; X25519 needs no
    /// rejection sampling.
    public func deriveHPKEKeyPair(inputKeyMaterial: [UInt8]) throws -> HPKEKeyPair {
        let privateKey = X25519HPKE.derivePrivateKey(inputKeyMaterial: inputKeyMaterial)
        return HPKEKeyPair(privateKey: privateKey, publicKey: try hpkePublicKey(privateKey: privateKey))
    }

    public func generateHPKEKeyPair() -> HPKEKeyPair {
        let key = Curve25519.KeyAgreement.PrivateKey()
        return HPKEKeyPair(privateKey: Array(key.rawRepresentation), publicKey: Array(key.publicKey.rawRepresentation))
    }

    public func hpkePublicKey(privateKey: [UInt8]) throws -> [UInt8] {
        guard privateKey.count == 32, let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey) else {
            throw CipherSuiteError.invalidPrivateKey
        }
        return Array(key.publicKey.rawRepresentation)
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
        try Ed25519SigningKey(try signingKey(privateKey)).sign(message)
    }

    /// The Ed25519 key expanded once (deriving it from the seed costs a scalar multiplication,
    /// as much as the signature itself).
    public func preparedSigningKey(privateKey: [UInt8]) throws -> any PreparedSigningKey {
        Ed25519SigningKey(try signingKey(privateKey))
    }

    public func verify(publicKey: [UInt8], message: [UInt8], signature: [UInt8]) -> Bool {
        guard publicKey.count == 32, signature.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

/// An Ed25519 private key ready to sign.
private struct Ed25519SigningKey: PreparedSigningKey {
    let key: Curve25519.Signing.PrivateKey

    init(_ key: Curve25519.Signing.PrivateKey) { self.key = key }

    func sign(_ message: [UInt8]) throws -> [UInt8] {
        do {
            return try key.signature(for: message).withUnsafeBytes { Array($0) }
        } catch {
            throw CipherSuiteError.signingFailed
        }
    }
}
