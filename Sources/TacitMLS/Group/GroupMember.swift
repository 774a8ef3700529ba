/// One member of a group as its leaf node describes it.
public struct GroupMember: Hashable, Sendable, MLSCodable {
    /// The member's leaf.
    public var index: LeafIndex
    /// The member's credential.
    public var credential: Credential
    /// The key that verifies the member's signatures.
    public var signatureKey: SignaturePublicKey
    /// The member's leaf HPKE key.
    public var encryptionKey: HPKEPublicKey

    /// Describes the member at `index` with leaf `leaf`.
    public init(index: LeafIndex, leaf: LeafNode) {
        self.index = index
        credential = leaf.credential
        signatureKey = leaf.signatureKey
        encryptionKey = leaf.encryptionKey
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(index)
        encoder.write(credential)
        encoder.writeOpaque(signatureKey)
        encoder.writeOpaque(encryptionKey)
    }

    public init(from decoder: inout MLSDecoder) throws {
        index = try decoder.read()
        credential = try decoder.read()
        signatureKey = try decoder.readOpaque()
        encryptionKey = try decoder.readOpaque()
    }
}
