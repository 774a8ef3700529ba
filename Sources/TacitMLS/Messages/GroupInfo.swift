/// The signed description of a group's current epoch given to joiners (RFC 9420, Section 12.4.3).
///
/// ```
/// struct {
///     GroupContext group_context;
///     Extension extensions<V>;
///     MAC confirmation_tag;          // opaque MAC<V>
///     uint32 signer;
///     opaque signature<V>;           // SignWithLabel(., "GroupInfoTBS", GroupInfoTBS)
/// } GroupInfo;
/// ```
public struct GroupInfo: Hashable, Sendable, MLSCodable {
    /// The group's context in the current epoch.
    public var groupContext: GroupContext
    /// GroupInfo extensions (for example `ratchet_tree`, `external_pub`).
    public var extensions: [Extension]
    /// The confirmation tag of the Commit that started this epoch.
    public var confirmationTag: [UInt8]
    /// The leaf of the member that signed this GroupInfo.
    public var signer: LeafIndex
    /// The signature over ``toBeSigned``.
    public var signature: [UInt8]

    /// Creates a value from its fields.
    public init(groupContext: GroupContext, extensions: [Extension] = [], confirmationTag: [UInt8],
                signer: LeafIndex, signature: [UInt8] = []) {
        self.groupContext = groupContext
        self.extensions = extensions
        self.confirmationTag = confirmationTag
        self.signer = signer
        self.signature = signature
    }

    /// The encoded `GroupInfoTBS`: every field above `signature`.
    public var toBeSigned: [UInt8] {
        var encoder = MLSEncoder()
        encodeContent(to: &encoder)
        return encoder.bytes
    }

    private func encodeContent(to encoder: inout MLSEncoder) {
        encoder.write(groupContext)
        encoder.writeVector(extensions)
        encoder.writeOpaque(confirmationTag)
        encoder.write(signer)
    }

    public func encode(to encoder: inout MLSEncoder) {
        encodeContent(to: &encoder)
        encoder.writeOpaque(signature)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        groupContext = try decoder.read()
        extensions = try decoder.readVector()
        confirmationTag = try decoder.readOpaque()
        signer = try decoder.read()
        signature = try decoder.readOpaque()
    }
}

extension GroupInfo {
    /// The label of GroupInfo signatures.
    public static let signatureLabel = "GroupInfoTBS"

    /// Replaces ``signature`` with a signature by `privateKey` (the signer's leaf key).
    public mutating func sign(suite: any CipherSuite, privateKey: [UInt8]) throws {
        try sign(suite: suite, signingKey: suite.preparedSigningKey(privateKey: privateKey))
    }

    /// Replaces ``signature`` with a signature by a prepared key.
    public mutating func sign(suite: any CipherSuite, signingKey: any PreparedSigningKey) throws {
        signature = try suite.signWithLabel(key: signingKey, label: Self.signatureLabel, content: toBeSigned)
    }

    /// Whether ``signature`` verifies under `signatureKey` (the signer leaf's `signature_key`).
    public func verifySignature(suite: any CipherSuite, signatureKey: SignaturePublicKey) -> Bool {
        suite.verifyWithLabel(publicKey: signatureKey, label: Self.signatureLabel,
                              content: toBeSigned, signature: signature)
    }
}
