/// A signed and encrypted message (RFC 9420, Section 6.3).
///
/// ```
/// struct {
///     opaque group_id<V>;
///     uint64 epoch;
///     ContentType content_type;
///     opaque authenticated_data<V>;
///     opaque encrypted_sender_data<V>;
///     opaque ciphertext<V>;
/// } PrivateMessage;
/// ```
public struct PrivateMessage: Hashable, Sendable, MLSCodable {
    /// The group.
    public var groupID: [UInt8]
    /// The epoch whose secrets protect the message.
    public var epoch: UInt64
    /// The type of the encrypted content.
    public var contentType: ContentType
    /// Authenticated, unencrypted application data.
    public var authenticatedData: [UInt8]
    /// The AEAD-encrypted ``SenderData``.
    public var encryptedSenderData: [UInt8]
    /// The AEAD-encrypted ``PrivateMessageContent``.
    public var ciphertext: [UInt8]

    /// Creates a message from its parts.
    public init(groupID: [UInt8], epoch: UInt64, contentType: ContentType, authenticatedData: [UInt8],
                encryptedSenderData: [UInt8], ciphertext: [UInt8]) {
        self.groupID = groupID
        self.epoch = epoch
        self.contentType = contentType
        self.authenticatedData = authenticatedData
        self.encryptedSenderData = encryptedSenderData
        self.ciphertext = ciphertext
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.write(contentType)
        encoder.writeOpaque(authenticatedData)
        encoder.writeOpaque(encryptedSenderData)
        encoder.writeOpaque(ciphertext)
    }

    public init(from decoder: inout MLSDecoder) throws {
        groupID = try decoder.readOpaque()
        epoch = try decoder.readUInt64()
        contentType = try decoder.read()
        authenticatedData = try decoder.readOpaque()
        encryptedSenderData = try decoder.readOpaque()
        ciphertext = try decoder.readOpaque()
    }

    /// `PrivateContentAAD { group_id<V>; uint64 epoch; ContentType content_type; authenticated_data<V>; }`.
    var contentAAD: [UInt8] {
        var encoder = MLSEncoder()
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.write(contentType)
        encoder.writeOpaque(authenticatedData)
        return encoder.bytes
    }

    /// `SenderDataAAD { group_id<V>; uint64 epoch; ContentType content_type; }`.
    var senderDataAAD: [UInt8] {
        var encoder = MLSEncoder()
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.write(contentType)
        return encoder.bytes
    }
}

extension PrivateMessage {
    /// Encrypts signed content (Section 6.3): takes the next key of the sender's ratchet from
    /// `secretTree`, applies a fresh reuse guard, then encrypts the sender data.
    ///
    /// - Parameters:
    ///   - content: Content signed for `mls_private_message` by a member sender.
    ///   - paddingLength: Zero bytes appended to the plaintext to hide its length.
    ///   - reuseGuard: Four bytes; random when `nil` (tests pass a fixed value).
    /// - Throws: ``FramingError/senderNotMember``, ``FramingError/unexpectedWireFormat(_:)``,
    ///   ``FramingError/invalidConfirmationTag`` for an unconfirmed Commit, or a ``SecretTreeError``.
    public static func protect(_ content: AuthenticatedContent, suite: any CipherSuite, secretTree: inout SecretTree,
                               senderDataSecret: [UInt8], paddingLength: Int = 0,
                               reuseGuard: [UInt8]? = nil) throws -> PrivateMessage {
        guard content.wireFormat == .privateMessage else { throw FramingError.unexpectedWireFormat(content.wireFormat) }
        guard case .member(let leaf) = content.content.sender else { throw FramingError.senderNotMember }
        if content.content.contentType == .commit, content.auth.confirmationTag == nil {
            throw FramingError.invalidConfirmationTag
        }
        let guardBytes = reuseGuard ?? Self.randomReuseGuard()
        guard guardBytes.count == 4 else { throw FramingError.invalidReuseGuard }

        var tree = secretTree
        let key = try tree.nextKey(for: leaf, type: content.content.contentType.ratchetType)
        let senderData = SenderData(leafIndex: leaf, generation: key.generation, reuseGuard: guardBytes)
        var message = PrivateMessage(groupID: content.content.groupID, epoch: content.content.epoch,
                                     contentType: content.content.contentType,
                                     authenticatedData: content.content.authenticatedData,
                                     encryptedSenderData: [], ciphertext: [])
        let plaintext = PrivateMessageContent(body: content.content.body, auth: content.auth, paddingLength: paddingLength)
        message.ciphertext = try suite.seal(key: key.key, nonce: senderData.guardedNonce(key.nonce),
                                            associatedData: message.contentAAD, plaintext: plaintext.encoded)
        let senderKey = try SenderDataKey.derive(suite: suite, senderDataSecret: senderDataSecret, ciphertext: message.ciphertext)
        message.encryptedSenderData = try suite.seal(key: senderKey.key, nonce: senderKey.nonce,
                                                     associatedData: message.senderDataAAD, plaintext: senderData.mlsEncoded)
        secretTree = tree
        return message
    }

    /// Decrypts the sender data alone (Section 6.3.2), for example to find the sender's leaf.
    public func decryptSenderData(suite: any CipherSuite, senderDataSecret: [UInt8]) throws -> SenderData {
        let senderKey = try SenderDataKey.derive(suite: suite, senderDataSecret: senderDataSecret, ciphertext: ciphertext)
        let plaintext: [UInt8]
        do {
            plaintext = try suite.open(key: senderKey.key, nonce: senderKey.nonce, associatedData: senderDataAAD,
                                       ciphertext: encryptedSenderData)
        } catch {
            throw FramingError.senderDataDecryptionFailed
        }
        return try SenderData(mlsEncoded: plaintext)
    }

    /// Decrypts the message and returns its content as authenticated for `mls_private_message`
    /// (Section 6.3).
    ///
    /// The key is taken from `secretTree` (and deleted there) only if the content decrypts; on
    /// any error `secretTree` is unchanged. The caller then checks that the sender's leaf is not
    /// blank and verifies the signature with
    /// ``AuthenticatedContent/checkSignature(suite:signatureKey:groupContext:)``.
    public func unprotect(suite: any CipherSuite, secretTree: inout SecretTree,
                          senderDataSecret: [UInt8]) throws -> AuthenticatedContent {
        let senderData = try decryptSenderData(suite: suite, senderDataSecret: senderDataSecret)
        var tree = secretTree
        let key = try tree.key(for: senderData.leafIndex, type: contentType.ratchetType, generation: senderData.generation)
        let plaintext: [UInt8]
        do {
            plaintext = try suite.open(key: key.key, nonce: senderData.guardedNonce(key.nonce),
                                       associatedData: contentAAD, ciphertext: ciphertext)
        } catch {
            throw FramingError.contentDecryptionFailed
        }
        let decoded = try PrivateMessageContent(decoding: plaintext, contentType: contentType)
        secretTree = tree
        let content = FramedContent(groupID: groupID, epoch: epoch, sender: .member(senderData.leafIndex),
                                    authenticatedData: authenticatedData, body: decoded.body)
        return AuthenticatedContent(wireFormat: .privateMessage, content: content, auth: decoded.auth)
    }

    private static func randomReuseGuard() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
