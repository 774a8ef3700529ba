extension MLSGroup {
    /// Sends a proposal (Section 12.1) in the configured handshake wire format and stores it so
    /// this client's next Commit covers it by reference.
    ///
    /// Updates need a new leaf key; use ``proposeUpdate(capabilities:leafExtensions:authenticatedData:)``.
    /// - Returns: The message to send to the group.
    public mutating func propose(_ proposal: Proposal, authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        if case .update = proposal { throw .invalidProposal(.proposalTypeNotAllowedForSender(.update)) }
        return try withGroupErrors { try sendProposal(proposal, ownLeafKeyPair: nil, authenticatedData: authenticatedData) }
    }

    /// Proposes adding the owner of `keyPackage`.
    public mutating func proposeAdd(_ keyPackage: KeyPackage, authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        try propose(.add(AddProposal(keyPackage: keyPackage)), authenticatedData: authenticatedData)
    }

    /// Proposes removing the member at `leaf` (this client may propose its own removal).
    public mutating func proposeRemove(_ leaf: LeafIndex, authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        try propose(.remove(RemoveProposal(removed: leaf)), authenticatedData: authenticatedData)
    }

    /// Proposes injecting a PSK into the next epoch.
    public mutating func proposePreSharedKey(_ id: PreSharedKeyID, authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        try propose(.preSharedKey(PreSharedKeyProposal(psk: id)), authenticatedData: authenticatedData)
    }

    /// Proposes injecting the external PSK `pskID` (with a fresh nonce).
    public mutating func proposeExternalPSK(id pskID: [UInt8], authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        try proposePreSharedKey(PreSharedKeyID(kind: .external(pskID: pskID), nonce: randomPSKNonce()),
                                authenticatedData: authenticatedData)
    }

    /// Proposes replacing the GroupContext extensions wholesale.
    public mutating func proposeGroupContextExtensions(_ extensions: [Extension], authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        try propose(.groupContextExtensions(GroupContextExtensionsProposal(extensions: extensions)),
                    authenticatedData: authenticatedData)
    }

    /// Proposes reinitializing the group with new parameters (Section 11.2).
    public mutating func proposeReInit(groupID newGroupID: [UInt8], cipherSuite: CipherSuiteID, extensions: [Extension] = [],
                                       authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        try propose(.reInit(ReInitProposal(groupID: newGroupID, cipherSuite: cipherSuite, extensions: extensions)),
                    authenticatedData: authenticatedData)
    }

    /// Proposes replacing this client's leaf with one holding a fresh encryption key (Section 12.1.2).
    ///
    /// - Parameters:
    ///   - capabilities: New capabilities; by default the current ones.
    ///   - leafExtensions: New leaf extensions; by default the current ones.
    public mutating func proposeUpdate(capabilities: Capabilities? = nil, leafExtensions: [Extension]? = nil,
                                       authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        try withGroupErrors {
            try requireActive()
            guard var leaf = ownLeafNode else { throw MLSGroupError.notAMember(ownLeafIndex) }
            let keyPair = suite.generateHPKEKeyPair()
            leaf.encryptionKey = keyPair.publicKey
            leaf.source = .update
            if let capabilities { leaf.capabilities = capabilities }
            if let leafExtensions { leaf.extensions = leafExtensions }
            try leaf.sign(suite: suite, signingKey: signingKey,
                          group: LeafNodeGroupBinding(groupID: groupID, leafIndex: ownLeafIndex))
            return try sendProposal(.update(UpdateProposal(leafNode: leaf)), ownLeafKeyPair: keyPair,
                                    authenticatedData: authenticatedData)
        }
    }

    private mutating func sendProposal(_ proposal: Proposal, ownLeafKeyPair: HPKEKeyPair?,
                                       authenticatedData: [UInt8]) throws -> MLSMessage {
        try requireActive()
        try validation.validateReceived(proposal, sender: .member(ownLeafIndex))
        let content = try sign(.proposal(proposal), wireFormat: configuration.handshakeWireFormat,
                               authenticatedData: authenticatedData)
        let message = try protect(content)
        pendingProposals.append(PendingProposal(reference: ProposalRef(bytes: content.proposalRef(suite: suite)),
                                                proposal: proposal, sender: .member(ownLeafIndex),
                                                ownLeafKeyPair: ownLeafKeyPair))
        return message
    }

    /// The checks of proposals against the current epoch.
    var validation: ProposalValidation {
        ProposalValidation(suite: suite, groupContext: current.groupContext, tree: current.tree, configuration: configuration)
    }
}
