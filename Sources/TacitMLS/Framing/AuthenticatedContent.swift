/// Content with everything that authenticates it, independent of how it is protected on the
/// wire (RFC 9420, Section 6).
///
/// ```
/// struct {
///     WireFormat wire_format;
///     FramedContent content;
///     FramedContentAuthData auth;
/// } AuthenticatedContent;
/// ```
/// The encoding is the input to `MakeProposalRef` and (split in two) to the transcript hashes.
public struct AuthenticatedContent: Hashable, Sendable, MLSCodable {
    /// The wire format the content is sent in (covered by the signature).
    public var wireFormat: WireFormat
    /// The content.
    public var content: FramedContent
    /// The signature and, for a Commit, the confirmation tag.
    public var auth: FramedContentAuthData

    /// Creates authenticated content from its parts (no signing).
    public init(wireFormat: WireFormat, content: FramedContent, auth: FramedContentAuthData) {
        self.wireFormat = wireFormat
        self.content = content
        self.auth = auth
    }

    /// Signs `content` for sending in `wireFormat` (Section 6.1).
    ///
    /// For a Commit the confirmation tag is left `nil`: it depends on the confirmed transcript
    /// hash, which covers this signature. Set it with ``ConfirmationTag`` before sending.
    /// - Parameter groupContext: The current epoch's GroupContext (signed for member and
    ///   new-member-commit senders).
    public static func sign(wireFormat: WireFormat, content: FramedContent, suite: any CipherSuite,
                            signaturePrivateKey: [UInt8], groupContext: GroupContext) throws -> AuthenticatedContent {
        try sign(wireFormat: wireFormat, content: content, suite: suite,
                 signingKey: suite.preparedSigningKey(privateKey: signaturePrivateKey), groupContext: groupContext)
    }

    /// Signs `content` with a prepared key; see ``sign(wireFormat:content:suite:signaturePrivateKey:groupContext:)``.
    public static func sign(wireFormat: WireFormat, content: FramedContent, suite: any CipherSuite,
                            signingKey: any PreparedSigningKey, groupContext: GroupContext) throws -> AuthenticatedContent {
        let tbs = FramedContentTBS(wireFormat: wireFormat, content: content, groupContext: groupContext)
        let signature = try suite.signWithLabel(key: signingKey, label: FramedContentTBS.signatureLabel,
                                                content: tbs.mlsEncoded)
        return AuthenticatedContent(wireFormat: wireFormat, content: content, auth: FramedContentAuthData(signature: signature))
    }

    /// The `FramedContentTBS` of this content in `groupContext`.
    public func toBeSigned(groupContext: GroupContext) -> FramedContentTBS {
        FramedContentTBS(wireFormat: wireFormat, content: content, groupContext: groupContext)
    }

    /// Whether the signature verifies under `signatureKey` (Section 6.1). The caller picks the
    /// key by ``FramedContent/sender``: the member's leaf, the external sender, or the new member's leaf.
    public func verifySignature(suite: any CipherSuite, signatureKey: [UInt8], groupContext: GroupContext) -> Bool {
        suite.verifyWithLabel(publicKey: signatureKey, label: FramedContentTBS.signatureLabel,
                              content: toBeSigned(groupContext: groupContext).mlsEncoded, signature: auth.signature)
    }

    /// Throws ``FramingError/invalidSignature`` unless the signature verifies.
    public func checkSignature(suite: any CipherSuite, signatureKey: [UInt8], groupContext: GroupContext) throws {
        guard verifySignature(suite: suite, signatureKey: signatureKey, groupContext: groupContext) else {
            throw FramingError.invalidSignature
        }
    }

    /// `MakeProposalRef` of this content (Section 5.2); meaningful when it carries a Proposal.
    public func proposalRef(suite: any CipherSuite) -> [UInt8] {
        suite.makeProposalRef(mlsEncoded)
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(wireFormat)
        encoder.write(content)
        auth.encode(to: &encoder, contentType: content.contentType)
    }

    public init(from decoder: inout MLSDecoder) throws {
        wireFormat = try decoder.read()
        content = try decoder.read()
        auth = try FramedContentAuthData(from: &decoder, contentType: content.contentType)
    }
}
