/// The public description of one member at a leaf of the ratchet tree, signed by that member
/// (RFC 9420, Section 7.2).
///
/// ```
/// struct {
///     HPKEPublicKey encryption_key;
///     SignaturePublicKey signature_key;
///     Credential credential;
///     Capabilities capabilities;
///     LeafNodeSource leaf_node_source;
///     select (leaf_node_source) { ... };      // see LeafNodeSource
///     Extension extensions<V>;
///     opaque signature<V>;                    // SignWithLabel(., "LeafNodeTBS", LeafNodeTBS)
/// } LeafNode;
/// ```
public struct LeafNode: Hashable, Sendable, MLSCodable {
    /// The HPKE key other members encrypt to.
    public var encryptionKey: HPKEPublicKey
    /// The member's signature verification key.
    public var signatureKey: SignaturePublicKey
    /// The member's credential.
    public var credential: Credential
    /// The member's supported features.
    public var capabilities: Capabilities
    /// How the leaf entered the tree, with its lifetime or parent hash.
    public var source: LeafNodeSource
    /// Leaf extensions (for example `application_id`).
    public var extensions: [Extension]
    /// The signature over ``toBeSigned(group:)``.
    public var signature: [UInt8]

    /// Creates a leaf node; ``signature`` is usually filled by ``sign(suite:privateKey:group:)``.
    public init(encryptionKey: HPKEPublicKey, signatureKey: SignaturePublicKey, credential: Credential,
                capabilities: Capabilities, source: LeafNodeSource, extensions: [Extension] = [],
                signature: [UInt8] = []) {
        self.encryptionKey = encryptionKey
        self.signatureKey = signatureKey
        self.credential = credential
        self.capabilities = capabilities
        self.source = source
        self.extensions = extensions
        self.signature = signature
    }

    /// The parent hash carried by a `commit`-sourced leaf, else `nil`.
    public var parentHash: [UInt8]? {
        if case .commit(let hash) = source { return hash }
        return nil
    }

    /// The lifetime carried by a `key_package`-sourced leaf, else `nil`.
    public var lifetime: Lifetime? {
        if case .keyPackage(let lifetime) = source { return lifetime }
        return nil
    }

    /// Writes every field above `signature`; shared by the node and its TBS.
    func encodeContent(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(encryptionKey)
        encoder.writeOpaque(signatureKey)
        encoder.write(credential)
        encoder.write(capabilities)
        encoder.write(source)
        encoder.writeVector(extensions)
    }

    public func encode(to encoder: inout MLSEncoder) {
        encodeContent(to: &encoder)
        encoder.writeOpaque(signature)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        encryptionKey = try decoder.readOpaque()
        signatureKey = try decoder.readOpaque()
        credential = try decoder.read()
        capabilities = try decoder.read()
        source = try decoder.read()
        extensions = try decoder.readVector()
        signature = try decoder.readOpaque()
    }
}
