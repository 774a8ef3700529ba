/// The cryptographic primitives of one MLS cipher suite (RFC 9420, Section 5.1).
///
/// A conforming type supplies only primitives: hash, HKDF-style KDF, MAC, AEAD, HPKE
/// (base mode, RFC 9180) and a signature scheme. The MLS constructions built on them
/// (`ExpandWithLabel`, `SignWithLabel`, `EncryptWithLabel`, `RefHash`, ...) are provided
/// once, in an extension, so a new suite (for example a post-quantum KEM) needs no change
/// to group logic: conform, then register it in ``CipherSuiteRegistry``.
///
/// All byte strings are plain `[UInt8]`; public and private keys use the serialized
/// forms of RFC 9180 (HPKE) and the signature scheme's native encoding.
public protocol CipherSuite: Sendable {
    /// The registered identifier.
    var id: CipherSuiteID { get }

    /// `Nh`: the output size of ``hash(_:)`` and of ``extract(salt:inputKeyMaterial:)``.
    var hashLength: Int { get }
    /// `Nk`: the AEAD key size.
    var aeadKeyLength: Int { get }
    /// `Nn`: the AEAD nonce size.
    var aeadNonceLength: Int { get }

    /// The suite's hash function.
    func hash(_ data: [UInt8]) -> [UInt8]
    /// `MAC(key, data)`: HMAC with the suite's hash (membership and confirmation tags).
    func mac(key: [UInt8], data: [UInt8]) -> [UInt8]
    /// `KDF.Extract(salt, ikm)`; the result has ``hashLength`` bytes.
    func extract(salt: [UInt8], inputKeyMaterial: [UInt8]) -> [UInt8]
    /// `KDF.Expand(prk, info, length)`.
    func expand(pseudoRandomKey: [UInt8], info: [UInt8], length: Int) throws -> [UInt8]

    /// `AEAD.Seal`: returns ciphertext followed by the tag.
    func seal(key: [UInt8], nonce: [UInt8], associatedData: [UInt8], plaintext: [UInt8]) throws -> [UInt8]
    /// `AEAD.Open`: throws ``CipherSuiteError/decryptionFailed`` if authentication fails.
    func open(key: [UInt8], nonce: [UInt8], associatedData: [UInt8], ciphertext: [UInt8]) throws -> [UInt8]

    /// HPKE `SealBase(pkR, info, aad, pt)` with a fresh ephemeral key.
    func hpkeSeal(publicKey: [UInt8], info: [UInt8], associatedData: [UInt8], plaintext: [UInt8]) throws -> HPKECiphertext
    /// HPKE `OpenBase(enc, skR, info, aad, ct)`.
    func hpkeOpen(privateKey: [UInt8], info: [UInt8], associatedData: [UInt8], ciphertext: HPKECiphertext) throws -> [UInt8]
    /// HPKE `SetupBaseS(pkR, info)` followed by `Export(exporterContext, length)`.
    func hpkeExport(publicKey: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> (kemOutput: [UInt8], secret: [UInt8])
    /// HPKE `SetupBaseR(enc, skR, info)` followed by `Export(exporterContext, length)`.
    func hpkeExport(privateKey: [UInt8], kemOutput: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> [UInt8]
    /// HPKE `DeriveKeyPair(ikm)` (RFC 9180, Section 7.1.3): deterministic.
    func deriveHPKEKeyPair(inputKeyMaterial: [UInt8]) throws -> HPKEKeyPair
    /// A fresh random HPKE key pair.
    func generateHPKEKeyPair() -> HPKEKeyPair
    /// The public key of an HPKE private key.
    func hpkePublicKey(privateKey: [UInt8]) throws -> [UInt8]

    /// A fresh random signature key pair.
    func generateSignatureKeyPair() -> SignatureKeyPair
    /// The public key of a signature private key.
    func signaturePublicKey(privateKey: [UInt8]) throws -> [UInt8]
    /// `Signature.Sign(key, message)`.
    func sign(privateKey: [UInt8], message: [UInt8]) throws -> [UInt8]
    /// `Signature.Verify(key, message, signature)`; malformed keys or signatures verify as `false`.
    func verify(publicKey: [UInt8], message: [UInt8], signature: [UInt8]) -> Bool
    /// `privateKey` in the form the scheme signs with, for signing repeatedly with one key (a
    /// group member signs every message it sends). The default signs with ``sign(privateKey:message:)``.
    func preparedSigningKey(privateKey: [UInt8]) throws -> any PreparedSigningKey
}

extension CipherSuite {
    /// A key that hands `privateKey` to ``sign(privateKey:message:)`` for each signature.
    public func preparedSigningKey(privateKey: [UInt8]) throws -> any PreparedSigningKey {
        RawSigningKey(suite: self, privateKey: privateKey)
    }
}

/// A signature private key prepared by ``CipherSuite/preparedSigningKey(privateKey:)``.
public protocol PreparedSigningKey: Sendable {
    /// `Signature.Sign(key, message)`.
    func sign(_ message: [UInt8]) throws -> [UInt8]
}

/// A key that is passed to the suite as bytes for each signature.
struct RawSigningKey: PreparedSigningKey {
    let suite: any CipherSuite
    let privateKey: [UInt8]

    func sign(_ message: [UInt8]) throws -> [UInt8] {
        try suite.sign(privateKey: privateKey, message: message)
    }
}
