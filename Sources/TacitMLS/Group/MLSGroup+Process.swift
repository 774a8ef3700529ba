extension MLSGroup {
    /// Processes a message sent to the group: decrypts and authenticates it, then stores a
    /// proposal, merges a Commit (after validating it completely), or returns application data.
    ///
    /// On error the group is unchanged. A PrivateMessage's key is used up only when the
    /// message authenticates, so a replay fails with ``SecretTreeError/generationAlreadyUsed(_:)``.
    /// Application messages of kept past epochs (``MLSGroupConfiguration/pastEpochRetention``)
    /// are accepted too, also after this client was removed. This client's own messages are not
    /// processed, except its pending Commit, which is merged when the delivery service echoes it.
    public mutating func process(_ message: MLSMessage) throws(MLSGroupError) -> ProcessedMessage {
        try withGroupErrors {
            if let pending = pendingCommit, pending.message == message {
                merge(pending.staged)
                return .commit(pending.staged.changes)
            }
            switch message.body {
            case .publicMessage(let publicMessage): return try processPublic(publicMessage)
            case .privateMessage(let privateMessage): return try processPrivate(privateMessage)
            default: throw MLSGroupError.unexpectedWireFormat(message.wireFormat)
            }
        }
    }

    private mutating func processPublic(_ message: PublicMessage) throws -> ProcessedMessage {
        try checkRouting(groupID: message.content.groupID, epoch: message.content.epoch)
        try requireActive()
        let content = try message.unprotect(suite: suite, membershipKey: current.keys.membershipKey,
                                            groupContext: current.groupContext)
        return try handle(content)
    }

    private mutating func processPrivate(_ message: PrivateMessage) throws -> ProcessedMessage {
        guard message.groupID == groupID else { throw MLSGroupError.wrongGroup }
        if message.epoch != epoch || status != .active {
            guard message.contentType == .application,
                  let index = pastEpochs.firstIndex(where: { $0.groupContext.epoch == message.epoch }) else {
                try requireActive()
                throw MLSGroupError.wrongEpoch(current: epoch, message: message.epoch)
            }
            return try processLateApplication(message, pastEpoch: index)
        }
        var updated = self
        let content = try message.unprotect(suite: suite, secretTree: &updated.current.secretTree,
                                            senderDataSecret: current.keys.senderDataSecret)
        // `updated` holds the used-up key; it replaces `self` only if the content is accepted.
        let result = try updated.handle(content)
        self = updated
        return result
    }

    private func checkRouting(groupID messageGroupID: [UInt8], epoch messageEpoch: UInt64) throws {
        guard messageGroupID == groupID else { throw MLSGroupError.wrongGroup }
        guard messageEpoch == epoch else { throw MLSGroupError.wrongEpoch(current: epoch, message: messageEpoch) }
    }

    /// Authenticates content of the current epoch and acts on it.
    private mutating func handle(_ content: AuthenticatedContent) throws -> ProcessedMessage {
        let key = try verificationKey(for: content)
        guard content.verifySignature(suite: suite, signatureKey: key, groupContext: current.groupContext) else {
            throw MLSGroupError.invalidSignature
        }
        let sender = content.content.sender
        switch content.content.body {
        case .application(let data):
            guard case .member(let index) = sender, let member = member(at: index) else {
                throw MLSGroupError.senderNotAllowed(sender)
            }
            return .application(ApplicationMessage(sender: member, epoch: epoch, data: data,
                                                   authenticatedData: content.content.authenticatedData))
        case .proposal(let proposal):
            try validation.validateReceived(proposal, sender: sender)
            let reference = ProposalRef(bytes: content.proposalRef(suite: suite))
            if !pendingProposals.contains(where: { $0.reference == reference }) {
                pendingProposals.append(PendingProposal(reference: reference, proposal: proposal, sender: sender,
                                                        ownLeafKeyPair: nil))
            }
            return .proposal(ReceivedProposal(reference: reference, proposal: proposal, sender: sender))
        case .commit(let commit):
            let staged = try stage(commit, content: content)
            merge(staged)
            return .commit(staged.changes)
        }
    }

    /// Decrypts an application message of a kept past epoch.
    private mutating func processLateApplication(_ message: PrivateMessage, pastEpoch index: Int) throws -> ProcessedMessage {
        var past = pastEpochs[index]
        let content = try message.unprotect(suite: suite, secretTree: &past.secretTree, senderDataSecret: past.senderDataSecret)
        guard case .member(let leaf) = content.content.sender, let member = past.member(at: leaf) else {
            throw MLSGroupError.senderNotAllowed(content.content.sender)
        }
        guard content.verifySignature(suite: suite, signatureKey: member.signatureKey, groupContext: past.groupContext) else {
            throw MLSGroupError.invalidSignature
        }
        guard case .application(let data) = content.content.body else { throw MLSGroupError.senderNotAllowed(content.content.sender) }
        pastEpochs[index] = past
        return .application(ApplicationMessage(sender: member, epoch: past.groupContext.epoch, data: data,
                                               authenticatedData: content.content.authenticatedData))
    }
}
