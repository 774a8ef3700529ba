extension MLSGroup {
    /// Signs `body` as this member for the current epoch (Section 6.1).
    func sign(_ body: FramedContent.Body, wireFormat: WireFormat, authenticatedData: [UInt8]) throws -> AuthenticatedContent {
        let content = FramedContent(groupID: groupID, epoch: epoch, sender: .member(ownLeafIndex),
                                    authenticatedData: authenticatedData, body: body)
        return try AuthenticatedContent.sign(wireFormat: wireFormat, content: content, suite: suite,
                                             signingKey: signingKey,
                                             groupContext: current.groupContext)
    }

    /// Protects signed content with the current epoch's keys; a PrivateMessage takes the next
    /// key of this member's ratchet.
    mutating func protect(_ content: AuthenticatedContent, paddingLength: Int = 0) throws -> MLSMessage {
        switch content.wireFormat {
        case .publicMessage:
            return MLSMessage(.publicMessage(try PublicMessage.protect(
                content, suite: suite, membershipKey: current.keys.membershipKey, groupContext: current.groupContext)))
        case .privateMessage:
            return MLSMessage(.privateMessage(try PrivateMessage.protect(
                content, suite: suite, secretTree: &current.secretTree, senderDataSecret: current.keys.senderDataSecret,
                paddingLength: paddingLength)))
        default:
            throw MLSGroupError.unexpectedWireFormat(content.wireFormat)
        }
    }

    /// The key that must verify `content`'s signature, chosen by its sender (Section 6.1), and
    /// the check that the sender may send this content type.
    func verificationKey(for content: AuthenticatedContent) throws -> SignaturePublicKey {
        let sender = content.content.sender
        switch (sender, content.content.body) {
        case (.member(let index), _):
            guard let leaf = current.tree.leafNode(at: index) else { throw MLSGroupError.notAMember(index) }
            return leaf.signatureKey
        case (.external(let senderIndex), .proposal):
            guard content.wireFormat == .publicMessage,
                  let senders = try current.groupContext.extensions.payload(ExternalSendersExtension.self),
                  Int(senderIndex) < senders.senders.count else {
                throw MLSGroupError.invalidProposal(.unknownExternalSender(senderIndex))
            }
            return senders.senders[Int(senderIndex)].signatureKey
        case (.newMemberProposal, .proposal(.add(let add))) where content.wireFormat == .publicMessage:
            return add.keyPackage.leafNode.signatureKey
        case (.newMemberCommit, .commit(let commit)) where content.wireFormat == .publicMessage:
            guard let path = commit.path else { throw MLSGroupError.pathRequired }
            return path.leafNode.signatureKey
        default:
            throw MLSGroupError.senderNotAllowed(sender)
        }
    }
}
