/// The checks of single proposals and leaf nodes against a group's state (RFC 9420, Sections
/// 7.3, 10.1 and 12.1). Shared by proposal receipt, Commit creation and Commit processing.
struct ProposalValidation {
    let suite: any CipherSuite
    let groupContext: GroupContext
    let tree: RatchetTree
    let configuration: MLSGroupConfiguration
    /// The one `reinit` resumption PSK this validation accepts: set only while a reinitialized
    /// group's first Commit is made (Section 11.2); every other use of such a PSK is invalid.
    var permittedReInitPSK: PreSharedKeyID? = nil

    /// Checks a proposal received on its own (not inline in a Commit), against the current epoch.
    func validateReceived(_ proposal: Proposal, sender: Sender) throws {
        try validateSender(sender, for: proposal.type)
        switch proposal {
        case .add(let add):
            try validateKeyPackage(add.keyPackage, extensions: groupContext.extensions)
        case .update(let update):
            guard case .member(let index) = sender else { throw ProposalRuleViolation.updateByNonMember }
            try validateReplacementLeaf(update.leafNode, at: index, source: .update, in: tree,
                                        extensions: groupContext.extensions)
        case .remove(let remove):
            guard tree.leafNode(at: remove.removed) != nil else { throw ProposalRuleViolation.removesBlankLeaf(remove.removed) }
        case .preSharedKey(let psk):
            try validatePreSharedKey(psk.psk)
        case .reInit(let reInit):
            try validateReInit(reInit)
        case .externalInit:
            throw ProposalRuleViolation.proposalTypeNotAllowedForSender(.externalInit)
        case .groupContextExtensions(let proposal):
            try validateExtensionList(proposal.extensions)
        }
    }

    /// Which proposal types each sender type may send (Sections 12.1.8 and 12.4.3.2).
    func validateSender(_ sender: Sender, for type: ProposalType) throws {
        switch sender {
        case .member:
            guard type != .externalInit else { throw ProposalRuleViolation.proposalTypeNotAllowedForSender(type) }
        case .external:
            guard type.allowedFromExternalSender else { throw ProposalRuleViolation.proposalTypeNotAllowedForSender(type) }
        case .newMemberProposal:
            guard type == .add else { throw ProposalRuleViolation.proposalTypeNotAllowedForSender(type) }
        case .newMemberCommit:
            throw ProposalRuleViolation.proposalTypeNotAllowedForSender(type)
        }
    }

    /// KeyPackage validation (Section 10.1) plus the group-parameter checks of Sections 7.3 and
    /// 13: supported version, suite and GroupContext extensions, and an acceptable credential.
    func validateKeyPackage(_ keyPackage: KeyPackage, extensions: [Extension]) throws {
        let required = try extensions.payload(RequiredCapabilitiesExtension.self)
        try keyPackage.validate(suite: suite, version: groupContext.version, requiredCapabilities: required,
                                currentTime: configuration.lifetimeCheckTime)
        let leaf = keyPackage.leafNode
        try validateGroupParameters(leaf, extensions: extensions)
        guard configuration.credentialValidator.isValid(leaf.credential, signatureKey: leaf.signatureKey) else {
            throw MLSGroupError.credentialRejected(leaf.credential)
        }
    }

    /// Validates a leaf that replaces the one at `index` (an Update's, source `update`, or a
    /// Commit path's, source `commit`), as Section 7.3 asks: signature bound to the group and
    /// leaf, source, capabilities, a fresh encryption key, and an acceptable credential that
    /// may replace the old one.
    func validateReplacementLeaf(_ leaf: LeafNode, at index: LeafIndex, source: LeafNodeSource.Kind,
                                 replacing oldLeaf: LeafNode? = nil, in tree: RatchetTree, extensions: [Extension]) throws {
        guard let old = oldLeaf ?? tree.leafNode(at: index) else { throw MLSGroupError.notAMember(index) }
        try validateNewLeaf(leaf, at: index, source: source, extensions: extensions)
        if source == .update, leaf.encryptionKey == old.encryptionKey {
            throw ProposalRuleViolation.updateKeepsEncryptionKey(index)
        }
        guard configuration.credentialValidator.isValidReplacement(of: old.credential, by: leaf.credential) else {
            throw MLSGroupError.credentialRejected(leaf.credential)
        }
    }

    /// Section 7.3 checks of a group-bound leaf (source `update` or `commit`) at `index`.
    func validateNewLeaf(_ leaf: LeafNode, at index: LeafIndex, source: LeafNodeSource.Kind, extensions: [Extension]) throws {
        let required = try extensions.payload(RequiredCapabilitiesExtension.self)
        try leaf.validate(suite: suite, group: LeafNodeGroupBinding(groupID: groupContext.groupID, leafIndex: index),
                          expectedSource: source, requiredCapabilities: required)
        try validateGroupParameters(leaf, extensions: extensions)
        guard configuration.credentialValidator.isValid(leaf.credential, signatureKey: leaf.signatureKey) else {
            throw MLSGroupError.credentialRejected(leaf.credential)
        }
    }

    /// The leaf supports the group's version and suite, and every GroupContext extension.
    func validateGroupParameters(_ leaf: LeafNode, extensions: [Extension]) throws {
        guard leaf.capabilities.versions.contains(groupContext.version),
              leaf.capabilities.cipherSuites.contains(groupContext.cipherSuite) else {
            throw ProposalRuleViolation.versionOrCipherSuiteUnsupported
        }
        for ext in extensions where !leaf.capabilities.supports(ext.type) {
            throw ProposalRuleViolation.groupContextExtensionUnsupported(ext.type)
        }
    }

    /// Section 12.1.4: a nonce of length `Nh`, and no `reinit` or `branch` resumption PSK
    /// outside those procedures (Sections 11.2 and 11.3). The only exception is
    /// ``permittedReInitPSK``, in the first Commit of a group made by ``MLSGroup/reinitialize(from:keyPackages:identity:capabilities:lifetime:leafExtensions:options:configuration:)``.
    func validatePreSharedKey(_ id: PreSharedKeyID) throws {
        guard id.nonce.count == suite.hashLength else { throw ProposalRuleViolation.invalidPreSharedKeyNonce }
        if case .resumption(let usage, _, _) = id.kind, usage != .application, id != permittedReInitPSK {
            throw ProposalRuleViolation.preSharedKeyUsageNotAllowed
        }
    }

    /// Section 12.1.5: no downgrade of the protocol version.
    func validateReInit(_ proposal: ReInitProposal) throws {
        guard proposal.version >= groupContext.version else { throw ProposalRuleViolation.reInitVersionDowngrade }
        try validateExtensionList(proposal.extensions)
    }

    /// No extension type twice in one list (Section 13).
    func validateExtensionList(_ extensions: [Extension]) throws {
        var seen: Set<ExtensionType> = []
        for ext in extensions where !seen.insert(ext.type).inserted {
            throw ProposalRuleViolation.duplicateExtension(ext.type)
        }
        _ = try extensions.payload(RequiredCapabilitiesExtension.self)
        _ = try extensions.payload(ExternalSendersExtension.self)
    }
}
