/// An HPKE key pair in the serialized forms of RFC 9180 (`SerializePrivateKey`/`SerializePublicKey`).
///
/// The private key is never shown by `description`.
public struct HPKEKeyPair: Hashable, Sendable, SecretRedacting {
    /// The serialized private key.
    public let privateKey: [UInt8]
    /// The serialized public key (the `HPKEPublicKey` body, no length prefix).
    public let publicKey: [UInt8]

    /// Pairs an already-matching private and public key.
    public init(privateKey: [UInt8], publicKey: [UInt8]) {
        self.privateKey = privateKey
        self.publicKey = publicKey
    }

    public var description: String { "HPKEKeyPair(publicKey: \(publicKey.count) bytes, privateKey: redacted)" }
}
