/// A client's pre-published offer to be added to a group (RFC 9420, Section 10).
///
/// ```
/// struct {
///     ProtocolVersion version;
///     CipherSuite cipher_suite;
///     HPKEPublicKey init_key;
///     LeafNode leaf_node;
///     Extension extensions<V>;
///     opaque signature<V>;   // SignWithLabel(., "KeyPackageTBS", KeyPackageTBS)
/// } KeyPackage;
/// ```
public struct KeyPackage: Hashable, Sendable, MLSCodable {
    /// The protocol version.
    public var version: ProtocolVersion
    /// The cipher suite.
    public var cipherSuite: CipherSuiteID
    /// The key a Welcome's group secrets are encrypted to.
    public var initKey: HPKEPublicKey
    /// The leaf the client will occupy; its source must be `key_package`.
    public var leafNode: LeafNode
    /// Extensions; unknown ones are kept and ignored.
    public var extensions: [Extension]
    /// The signature over ``toBeSigned``, by `leafNode.signatureKey`.
    public var signature: [UInt8]

    /// Creates a value from its fields.
    public init(version: ProtocolVersion = .mls10, cipherSuite: CipherSuiteID, initKey: HPKEPublicKey,
                leafNode: LeafNode, extensions: [Extension] = [], signature: [UInt8] = []) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.initKey = initKey
        self.leafNode = leafNode
        self.extensions = extensions
        self.signature = signature
    }

    /// The encoded `KeyPackageTBS`: every field above `signature`.
    public var toBeSigned: [UInt8] {
        var encoder = MLSEncoder()
        encodeContent(to: &encoder)
        return encoder.bytes
    }

    private func encodeContent(to encoder: inout MLSEncoder) {
        encoder.write(version)
        encoder.write(cipherSuite)
        encoder.writeOpaque(initKey)
        encoder.write(leafNode)
        encoder.writeVector(extensions)
    }

    public func encode(to encoder: inout MLSEncoder) {
        encodeContent(to: &encoder)
        encoder.writeOpaque(signature)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        version = try decoder.read()
        cipherSuite = try decoder.read()
        initKey = try decoder.readOpaque()
        leafNode = try decoder.read()
        extensions = try decoder.readVector()
        signature = try decoder.readOpaque()
    }
}
