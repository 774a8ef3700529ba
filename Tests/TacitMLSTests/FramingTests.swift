import Testing
@testable import TacitMLS

/// Refusals of the framing layer: every bad input gives a typed error (RFC 9420, Section 6).
@Suite("Framing refusals")
struct FramingTests {
    let suite: any CipherSuite = X25519SHA256Ed25519Suite.chaCha20Poly1305
    let signer = X25519SHA256Ed25519Suite.chaCha20Poly1305.generateSignatureKeyPair()
    let membershipKey = [UInt8](repeating: 0x11, count: 32)
    let senderDataSecret = [UInt8](repeating: 0x22, count: 32)
    let encryptionSecret = [UInt8](repeating: 0x33, count: 32)
    let context = GroupContext(cipherSuite: .mls128X25519ChaCha20Poly1305SHA256Ed25519, groupID: Array("group".utf8),
                               epoch: 4, treeHash: [1, 2, 3], confirmedTranscriptHash: [4, 5, 6])

    func tree(_ configuration: SecretTreeConfiguration = .default) -> SecretTree {
        SecretTree(suite: suite, encryptionSecret: encryptionSecret, leafCount: 4, configuration: configuration)
    }

    func signed(_ body: FramedContent.Body, _ wireFormat: WireFormat, sender: Sender = .member(LeafIndex(2))) throws -> AuthenticatedContent {
        let content = FramedContent(groupID: context.groupID, epoch: context.epoch, sender: sender, body: body)
        return try AuthenticatedContent.sign(wireFormat: wireFormat, content: content, suite: suite,
                                             signaturePrivateKey: signer.privateKey, groupContext: context)
    }

    var proposal: FramedContent.Body { .proposal(.remove(RemoveProposal(removed: LeafIndex(1)))) }

    func publicMessage() throws -> PublicMessage {
        try PublicMessage.protect(signed(proposal, .publicMessage), suite: suite, membershipKey: membershipKey, groupContext: context)
    }

    @Test("a tampered signature is refused")
    func tamperedSignature() throws {
        var message = try publicMessage()
        message.auth.signature[5] ^= 0x40
        // The membership tag covers the signature, so recompute it to reach the signature check.
        message.membershipTag = message.expectedMembershipTag(suite: suite, membershipKey: membershipKey, groupContext: context)
        let content = try message.unprotect(suite: suite, membershipKey: membershipKey, groupContext: context)
        #expect(throws: FramingError.invalidSignature) {
            try content.checkSignature(suite: suite, signatureKey: signer.publicKey, groupContext: context)
        }
        // A signature from another key, or over another GroupContext, is refused too.
        let good = try publicMessage().authenticatedContent
        #expect(throws: FramingError.invalidSignature) {
            try good.checkSignature(suite: suite, signatureKey: suite.generateSignatureKeyPair().publicKey, groupContext: context)
        }
        var otherContext = context
        otherContext.treeHash = [9]
        #expect(!good.verifySignature(suite: suite, signatureKey: signer.publicKey, groupContext: otherContext))
        #expect(good.verifySignature(suite: suite, signatureKey: signer.publicKey, groupContext: context))
    }

    @Test("a wrong or missing membership tag is refused")
    func membershipTag() throws {
        var message = try publicMessage()
        #expect(throws: FramingError.invalidMembershipTag) {
            try message.unprotect(suite: suite, membershipKey: [UInt8](repeating: 0x12, count: 32), groupContext: context)
        }
        message.content.authenticatedData = [1]
        #expect(throws: FramingError.invalidMembershipTag) {
            try message.unprotect(suite: suite, membershipKey: membershipKey, groupContext: context)
        }
        message = try publicMessage()
        message.membershipTag = nil
        #expect(throws: FramingError.membershipTagPresence) {
            try message.unprotect(suite: suite, membershipKey: membershipKey, groupContext: context)
        }
        // External senders carry no tag, and one that has a tag is refused.
        let external = try PublicMessage.protect(signed(proposal, .publicMessage, sender: .external(senderIndex: 0)),
                                                 suite: suite, membershipKey: membershipKey, groupContext: context)
        #expect(external.membershipTag == nil)
        _ = try external.unprotect(suite: suite, membershipKey: membershipKey, groupContext: context)
        var tagged = external
        tagged.membershipTag = [1]
        #expect(throws: FramingError.membershipTagPresence) {
            try tagged.unprotect(suite: suite, membershipKey: membershipKey, groupContext: context)
        }
    }

    @Test("group and epoch must match")
    func groupAndEpoch() throws {
        var later = context
        later.epoch = 5
        #expect(throws: FramingError.epochMismatch(expected: 5, actual: 4)) {
            try publicMessage().unprotect(suite: suite, membershipKey: membershipKey, groupContext: later)
        }
        var other = context
        other.groupID = [0]
        #expect(throws: FramingError.groupIDMismatch) {
            try publicMessage().unprotect(suite: suite, membershipKey: membershipKey, groupContext: other)
        }
    }

    @Test("a replayed PrivateMessage is refused and the tree is left usable")
    func replay() throws {
        var senderTree = tree()
        var receiverTree = tree()
        let first = try PrivateMessage.protect(signed(.application([1]), .privateMessage), suite: suite,
                                               secretTree: &senderTree, senderDataSecret: senderDataSecret)
        let second = try PrivateMessage.protect(signed(.application([2]), .privateMessage), suite: suite,
                                                secretTree: &senderTree, senderDataSecret: senderDataSecret)
        // Out of order, then a replay of each.
        #expect(try second.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret).content.body == .application([2]))
        #expect(try first.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret).content.body == .application([1]))
        #expect(throws: SecretTreeError.generationAlreadyUsed(0)) {
            try first.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        }
        #expect(throws: SecretTreeError.generationAlreadyUsed(1)) {
            try second.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        }
    }

    @Test("a PrivateMessage too far ahead is refused")
    func tooFar() throws {
        var senderTree = tree()
        var receiverTree = tree(SecretTreeConfiguration(maximumForwardDistance: 2, maximumSkippedKeys: 10))
        var messages: [PrivateMessage] = []
        for index in 0..<4 {
            messages.append(try PrivateMessage.protect(signed(.application([UInt8(index)]), .privateMessage), suite: suite,
                                                       secretTree: &senderTree, senderDataSecret: senderDataSecret))
        }
        #expect(throws: SecretTreeError.generationTooFarAhead(requested: 3, next: 0)) {
            try messages[3].unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        }
        _ = try messages[2].unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        _ = try messages[3].unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        _ = try messages[0].unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
    }

    @Test("tampered ciphertexts fail without consuming the key")
    func tamperedCiphertext() throws {
        var senderTree = tree()
        var receiverTree = tree()
        let message = try PrivateMessage.protect(signed(proposal, .privateMessage), suite: suite,
                                                 secretTree: &senderTree, senderDataSecret: senderDataSecret)
        var badContent = message
        badContent.ciphertext[badContent.ciphertext.count - 1] ^= 1
        #expect(throws: FramingError.contentDecryptionFailed) {
            try badContent.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        }
        var badAAD = message
        badAAD.authenticatedData = [7]
        #expect(throws: FramingError.contentDecryptionFailed) {
            try badAAD.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        }
        var badSender = message
        badSender.encryptedSenderData[0] ^= 1
        #expect(throws: FramingError.senderDataDecryptionFailed) {
            try badSender.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        }
        #expect(throws: FramingError.senderDataDecryptionFailed) {
            try message.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: [UInt8](repeating: 0, count: 32))
        }
        // The genuine message still opens: the failures above consumed nothing.
        let content = try message.unprotect(suite: suite, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
        try content.checkSignature(suite: suite, signatureKey: signer.publicKey, groupContext: context)
    }

    @Test("PrivateMessage rules: member senders, wire format, confirmation tag, zero padding")
    func privateRules() throws {
        var senderTree = tree()
        #expect(throws: FramingError.senderNotMember) {
            try PrivateMessage.protect(signed(proposal, .privateMessage, sender: .newMemberProposal), suite: suite,
                                       secretTree: &senderTree, senderDataSecret: senderDataSecret)
        }
        #expect(throws: FramingError.unexpectedWireFormat(.publicMessage)) {
            try PrivateMessage.protect(signed(proposal, .publicMessage), suite: suite,
                                       secretTree: &senderTree, senderDataSecret: senderDataSecret)
        }
        #expect(throws: FramingError.invalidConfirmationTag) {
            try PrivateMessage.protect(signed(.commit(Commit()), .privateMessage), suite: suite,
                                       secretTree: &senderTree, senderDataSecret: senderDataSecret)
        }
        #expect(throws: FramingError.invalidReuseGuard) {
            try PrivateMessage.protect(signed(proposal, .privateMessage), suite: suite, secretTree: &senderTree,
                                       senderDataSecret: senderDataSecret, reuseGuard: [1, 2, 3])
        }
        // Failed protects consumed no generation.
        #expect(try senderTree.nextGeneration(for: LeafIndex(2), type: .handshake) == 0)

        let plaintext = PrivateMessageContent(body: .application([9]), auth: FramedContentAuthData(signature: [1]), paddingLength: 3)
        #expect(try PrivateMessageContent(decoding: plaintext.encoded, contentType: .application) == plaintext)
        #expect(throws: FramingError.nonZeroPadding) {
            try PrivateMessageContent(decoding: plaintext.encoded + [1], contentType: .application)
        }
    }

    @Test("the reuse guard changes the nonce and is carried in the sender data")
    func reuseGuard() throws {
        var senderTree = tree()
        let message = try PrivateMessage.protect(signed(.application([5]), .privateMessage), suite: suite, secretTree: &senderTree,
                                                 senderDataSecret: senderDataSecret, reuseGuard: [0xde, 0xad, 0xbe, 0xef])
        let senderData = try message.decryptSenderData(suite: suite, senderDataSecret: senderDataSecret)
        #expect(senderData == SenderData(leafIndex: LeafIndex(2), generation: 0, reuseGuard: [0xde, 0xad, 0xbe, 0xef]))
        // Decrypting with the unguarded ratchet nonce fails.
        var plainTree = tree()
        let key = try plainTree.key(for: LeafIndex(2), type: .application, generation: 0)
        #expect(throws: CipherSuiteError.decryptionFailed) {
            try suite.open(key: key.key, nonce: key.nonce, associatedData: message.contentAAD, ciphertext: message.ciphertext)
        }
    }

    @Test("MLSMessage refuses truncated, over-long, unknown-version and unknown-wire-format encodings")
    func envelope() throws {
        let encoded = MLSMessage(.publicMessage(try publicMessage())).mlsEncoded
        #expect(try MLSMessage(mlsEncoded: encoded).wireFormat == .publicMessage)
        for cut in [1, 3, 10, encoded.count - 1] {
            #expect(throws: MLSCodingError.self) { try MLSMessage(mlsEncoded: encoded.prefix(cut)) }
        }
        #expect(throws: MLSCodingError.trailingBytes(count: 2)) { try MLSMessage(mlsEncoded: encoded + [0, 0]) }
        var version = encoded
        version[1] = 2
        #expect(throws: MLSCodingError.unknownEnumValue(type: "ProtocolVersion", value: 2)) { try MLSMessage(mlsEncoded: version) }
        var wireFormat = encoded
        wireFormat[3] = 9
        #expect(throws: MLSCodingError.unknownEnumValue(type: "WireFormat", value: 9)) { try MLSMessage(mlsEncoded: wireFormat) }
        #expect(throws: MLSCodingError.unknownEnumValue(type: "SenderType", value: 0)) { try Sender(mlsEncoded: [0]) }
        #expect(throws: MLSCodingError.unknownEnumValue(type: "ContentType", value: 4)) { try ContentType(mlsEncoded: [4]) }
        // A length prefix that claims more than is there.
        #expect(throws: MLSCodingError.self) { try PrivateMessage(mlsEncoded: [0x40, 0xff, 1, 2]) }
    }
}
