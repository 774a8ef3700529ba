/// One parent node of an UpdatePath: its new public key and the path secret encrypted to each
/// node in the resolution of its copath child (RFC 9420, Section 7.6).
///
/// ```
/// struct {
///     HPKEPublicKey encryption_key;
///     HPKECiphertext encrypted_path_secret<V>;
/// } UpdatePathNode;
/// ```
public struct UpdatePathNode: Hashable, Sendable, MLSCodable {
    /// The node's new HPKE public key.
    public var encryptionKey: HPKEPublicKey
    /// One ciphertext per resolution node of the copath child, in resolution order.
    public var encryptedPathSecret: [HPKECiphertext]

    /// Creates a value from its fields.
    public init(encryptionKey: HPKEPublicKey, encryptedPathSecret: [HPKECiphertext]) {
        self.encryptionKey = encryptionKey
        self.encryptedPathSecret = encryptedPathSecret
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(encryptionKey)
        encoder.writeVector(encryptedPathSecret)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        encryptionKey = try decoder.readOpaque()
        encryptedPathSecret = try decoder.readVector()
    }
}
