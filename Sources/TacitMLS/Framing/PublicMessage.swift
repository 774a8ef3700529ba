/// A signed, unencrypted message (RFC 9420, Section 6.2).
///
/// ```
/// struct {
///     FramedContent content;
///     FramedContentAuthData auth;
///     select (PublicMessage.content.sender.sender_type) {
///         case member: MAC membership_tag;
///         case external:
///         case new_member_commit:
///         case new_member_proposal: struct{};
///     };
/// } PublicMessage;
/// ```
/// `membership_tag = MAC(membership_key, AuthenticatedContentTBM)` with
/// `AuthenticatedContentTBM = struct { FramedContentTBS content_tbs; FramedContentAuthData auth; }`.
public struct PublicMessage: Hashable, Sendable, MLSCodable {
    /// The content.
    public var content: FramedContent
    /// Its authentication data.
    public var auth: FramedContentAuthData
    /// The membership tag; present exactly when the sender is a member.
    public var membershipTag: [UInt8]?

    /// Creates a message from its parts (no tag computation).
    public init(content: FramedContent, auth: FramedContentAuthData, membershipTag: [UInt8]?) {
        self.content = content
        self.auth = auth
        self.membershipTag = membershipTag
    }

    /// The content as authenticated for the `mls_public_message` wire format.
    public var authenticatedContent: AuthenticatedContent {
        AuthenticatedContent(wireFormat: .publicMessage, content: content, auth: auth)
    }

    /// Wraps signed content as a PublicMessage, adding the membership tag for member senders.
    ///
    /// - Throws: ``FramingError/applicationDataMustBeEncrypted`` for application data,
    ///   ``FramingError/unexpectedWireFormat(_:)`` unless `content` was signed for `mls_public_message`,
    ///   ``FramingError/invalidConfirmationTag`` for a Commit without a tag.
    public static func protect(_ content: AuthenticatedContent, suite: any CipherSuite, membershipKey: [UInt8],
                               groupContext: GroupContext) throws -> PublicMessage {
        guard content.wireFormat == .publicMessage else { throw FramingError.unexpectedWireFormat(content.wireFormat) }
        guard content.content.contentType != .application else { throw FramingError.applicationDataMustBeEncrypted }
        if content.content.contentType == .commit, content.auth.confirmationTag == nil {
            throw FramingError.invalidConfirmationTag
        }
        var message = PublicMessage(content: content.content, auth: content.auth, membershipTag: nil)
        if case .member = content.content.sender {
            message.membershipTag = message.expectedMembershipTag(suite: suite, membershipKey: membershipKey,
                                                                  groupContext: groupContext)
        }
        return message
    }

    /// Checks group, epoch and (for members) the membership tag, and returns the content
    /// (Section 6.2). The signature is checked separately with
    /// ``AuthenticatedContent/checkSignature(suite:signatureKey:groupContext:)``, because its key
    /// depends on the sender.
    public func unprotect(suite: any CipherSuite, membershipKey: [UInt8],
                          groupContext: GroupContext) throws -> AuthenticatedContent {
        guard content.groupID == groupContext.groupID else { throw FramingError.groupIDMismatch }
        guard content.epoch == groupContext.epoch else {
            throw FramingError.epochMismatch(expected: groupContext.epoch, actual: content.epoch)
        }
        guard content.contentType != .application else { throw FramingError.applicationDataMustBeEncrypted }
        if case .member = content.sender {
            guard let membershipTag else { throw FramingError.membershipTagPresence }
            let expected = expectedMembershipTag(suite: suite, membershipKey: membershipKey, groupContext: groupContext)
            guard suite.tagsEqual(membershipTag, expected) else { throw FramingError.invalidMembershipTag }
        } else if membershipTag != nil {
            throw FramingError.membershipTagPresence
        }
        return authenticatedContent
    }

    /// `MAC(membership_key, AuthenticatedContentTBM)`.
    func expectedMembershipTag(suite: any CipherSuite, membershipKey: [UInt8], groupContext: GroupContext) -> [UInt8] {
        var tbm = MLSEncoder()
        tbm.write(FramedContentTBS(wireFormat: .publicMessage, content: content, groupContext: groupContext))
        auth.encode(to: &tbm, contentType: content.contentType)
        return suite.mac(key: membershipKey, data: tbm.bytes)
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(content)
        auth.encode(to: &encoder, contentType: content.contentType)
        if case .member = content.sender { encoder.writeOpaque(membershipTag ?? []) }
    }

    public init(from decoder: inout MLSDecoder) throws {
        content = try decoder.read()
        auth = try FramedContentAuthData(from: &decoder, contentType: content.contentType)
        if case .member = content.sender {
            membershipTag = try decoder.readOpaque()
        } else {
            membershipTag = nil
        }
    }
}
