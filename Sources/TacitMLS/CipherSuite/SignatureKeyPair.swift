/// A signature key pair of a cipher suite's signature scheme (for Ed25519: the 32-byte seed and public key).
///
/// The private key is never shown by `description`.
public struct SignatureKeyPair: Hashable, Sendable, SecretRedacting {
    /// The private key in the scheme's native form (Ed25519: the 32-byte seed).
    public let privateKey: [UInt8]
    /// The public key (the `SignaturePublicKey` body, no length prefix).
    public let publicKey: [UInt8]

    /// Pairs an already-matching private and public key.
    public init(privateKey: [UInt8], publicKey: [UInt8]) {
        self.privateKey = privateKey
        self.publicKey = publicKey
    }

    public var description: String { "SignatureKeyPair(publicKey: \(publicKey.count) bytes, privateKey: redacted)" }
}
