/// One single-use AEAD key and nonce of a sender ratchet (RFC 9420, Section 9.1).
///
/// `description` shows only the generation.
public struct RatchetKey: Hashable, Sendable, SecretRedacting {
    /// The ratchet position this key belongs to.
    public let generation: UInt32
    /// `ratchet_key_[N]_[generation]`, `AEAD.Nk` bytes.
    public let key: [UInt8]
    /// `ratchet_nonce_[N]_[generation]`, `AEAD.Nn` bytes.
    public let nonce: [UInt8]

    /// Creates a key from its parts.
    public init(generation: UInt32, key: [UInt8], nonce: [UInt8]) {
        self.generation = generation
        self.key = key
        self.nonce = nonce
    }

    public var description: String { "RatchetKey(generation: \(generation), key: redacted)" }
}
