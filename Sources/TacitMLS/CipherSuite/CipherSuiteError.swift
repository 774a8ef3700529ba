/// Why a cryptographic operation of a cipher suite failed.
public enum CipherSuiteError: Error, Equatable, Sendable {
    /// No implementation is registered for this cipher suite.
    case unsupportedCipherSuite(CipherSuiteID)
    /// A public key had the wrong size or was not a valid point.
    case invalidPublicKey
    /// A private key had the wrong size or was invalid.
    case invalidPrivateKey
    /// An AEAD key or nonce had the wrong size.
    case invalidKeyOrNonceLength
    /// AEAD or HPKE decryption failed (wrong key, or the ciphertext or its associated data was changed).
    case decryptionFailed
    /// An HPKE operation failed for a reason other than authentication.
    case hpkeFailure
    /// A KDF output length was out of range.
    case invalidOutputLength(Int)
    /// Signing failed.
    case signingFailed
}
