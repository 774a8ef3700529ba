/// Why a group operation failed. Every public ``MLSGroup`` operation throws only this type, and
/// a failed operation leaves the group unchanged.
public enum MLSGroupError: Error, Equatable, Sendable {
    // MARK: Group state

    /// The client was removed from the group by a Commit and can no longer take part.
    case removedFromGroup
    /// A Commit with a ReInit proposal ended this group; continue in the reinitialized group.
    case groupReinitialized(ReInitProposal)
    /// A Commit created by this client awaits ``MLSGroup/mergePendingCommit()`` or ``MLSGroup/discardPendingCommit()``.
    case pendingCommitExists
    /// There is no pending Commit to merge.
    case noPendingCommit
    /// Proposals were received or sent in this epoch; they must be committed before application data is sent (Section 12.4).
    case pendingProposalsMustBeCommitted
    /// A leaf index does not name a member of the group.
    case notAMember(LeafIndex)
    /// The epoch counter is at its maximum; the group cannot advance (reinitialize it).
    case epochLimitReached
    /// Reinitializing needs a group whose last Commit carried a ReInit proposal (Section 11.2),
    /// and this one's did not.
    case groupNotReinitialized

    // MARK: Messages

    /// The message belongs to another group.
    case wrongGroup
    /// The message was sent in another epoch than the ones this client can process.
    case wrongEpoch(current: UInt64, message: UInt64)
    /// This wire format cannot be processed as a group message (for example a Welcome).
    case unexpectedWireFormat(WireFormat)
    /// The sender type may not send this content (for example a Commit from an external sender).
    case senderNotAllowed(Sender)
    /// The signature of the content did not verify.
    case invalidSignature
    /// The Commit's confirmation tag is missing or wrong.
    case invalidConfirmationTag
    /// The client received its own Commit, which it cannot process, and holds no matching pending Commit.
    case ownCommitNotPending
    /// A Commit refers to a proposal this client has not received in this epoch.
    case unknownProposalReference(ProposalRef)
    /// A Commit needs an UpdatePath (its proposals require one, or there are none) but has none.
    case pathRequired
    /// The proposals, alone or as a list, break a rule of RFC 9420 Sections 12.1–12.2.
    case invalidProposal(ProposalRuleViolation)
    /// The application's ``CredentialValidator`` refused a credential.
    case credentialRejected(Credential)
    /// A PSK named by a proposal or a Welcome is not available.
    case missingPreSharedKey(PreSharedKeyID)

    // MARK: Joining

    /// The Welcome has no entry for the given KeyPackage.
    case welcomeNotForKeyPackage
    /// The Welcome's or GroupInfo's cipher suite differs from the KeyPackage's.
    case cipherSuiteMismatch
    /// No ratchet tree was given and the GroupInfo carries no `ratchet_tree` extension.
    case missingRatchetTree
    /// The GroupInfo signer is not a member, or its signature did not verify.
    case invalidGroupInfoSignature
    /// The joiner's own leaf node is not in the tree (or its private keys do not match it).
    case ownLeafNotFound
    /// The GroupInfo has no `external_pub` extension, so no external Commit is possible.
    case missingExternalPub
    /// A GroupContext extension is not supported by the joining client.
    case unsupportedGroupContextExtension(ExtensionType)
    /// The KeyPackage's private keys do not match its public keys.
    case keyPackageSecretsMismatch
    /// A reinitialized group's Welcome, or the group being made from one, does not match the
    /// old group and its ReInit proposal (Sections 11.2 and 12.4.3.1).
    case invalidReinitialization(ReInitViolation)

    // MARK: Underlying layers

    /// A KeyPackage failed validation (Section 10.1).
    case invalidKeyPackage(KeyPackageValidationError)
    /// A leaf node failed validation (Section 7.3).
    case invalidLeafNode(LeafNodeValidationError)
    /// The ratchet tree is malformed or invalid.
    case tree(RatchetTreeError)
    /// An UpdatePath could not be created, merged or decrypted.
    case treeKEM(TreeKEMError)
    /// Protecting or unprotecting a message failed.
    case framing(FramingError)
    /// The secret tree refused a key (replay, too old, too far ahead).
    case secretTree(SecretTreeError)
    /// A cryptographic primitive failed.
    case crypto(CipherSuiteError)
    /// A structure did not decode.
    case decoding(MLSCodingError)
    /// The serialized group state is not one this version can restore.
    case invalidSerializedState(String)
    /// An internal step failed in a way no input should cause; the description says which.
    case internalFailure(String)
}

/// A rule of RFC 9420 Sections 12.1 (single proposals) and 12.2 (proposal lists) that a
/// proposal or a Commit's list of proposals breaks.
public enum ProposalRuleViolation: Error, Hashable, Sendable {
    /// An Update was sent by the member that commits it.
    case updateByCommitter
    /// An Update was sent by a sender that is not a member.
    case updateByNonMember
    /// The Update's leaf keeps the encryption key of the leaf it replaces.
    case updateKeepsEncryptionKey(LeafIndex)
    /// A Remove removes the committer.
    case removesCommitter
    /// A Remove names a blank leaf.
    case removesBlankLeaf(LeafIndex)
    /// Several Update and/or Remove proposals apply to the same leaf.
    case leafChangedTwice(LeafIndex)
    /// An Add is for a client already in the group (same signature key), or two Adds are for the same client.
    case addsExistingClient
    /// Two Adds carry the same init key (one KeyPackage used twice).
    case keyPackageReused
    /// Two PreSharedKey proposals name the same PSK.
    case duplicatePreSharedKey
    /// A PSK nonce does not have length `Nh`.
    case invalidPreSharedKeyNonce
    /// A resumption PSK with usage `reinit` or `branch` outside a reinitialization or branch.
    case preSharedKeyUsageNotAllowed
    /// More than one GroupContextExtensions proposal.
    case multipleGroupContextExtensions
    /// An extension list names the same type twice.
    case duplicateExtension(ExtensionType)
    /// A ReInit together with other proposals.
    case reInitNotAlone
    /// A ReInit to an older protocol version.
    case reInitVersionDowngrade
    /// An ExternalInit in a Commit by a member, or an external Commit without exactly one.
    case externalInitMisplaced
    /// An external Commit with a proposal type other than ExternalInit, Remove and PreSharedKey,
    /// more than one Remove, or a proposal by reference.
    case externalCommitProposals
    /// The sender type may not send this proposal type (Section 12.1.8).
    case proposalTypeNotAllowedForSender(ProposalType)
    /// The external sender index is not in the group's `external_senders` extension.
    case unknownExternalSender(UInt32)
    /// A member, or a leaf being added, does not support the `required_capabilities` in effect after the Commit.
    case requiredCapabilitiesUnsupported
    /// A member, or a leaf being added, does not support a GroupContext extension in effect after the Commit.
    case groupContextExtensionUnsupported(ExtensionType)
    /// A credential type in use is not supported by every member.
    case credentialTypeUnsupported(CredentialType)
    /// A leaf's capabilities do not list the group's protocol version or cipher suite.
    case versionOrCipherSuiteUnsupported
}

/// A check of RFC 9420 Sections 11.2 and 12.4.3.1 that a group made to reinitialize another
/// (or the Welcome into it) fails.
public enum ReInitViolation: Error, Hashable, Sendable {
    /// The Welcome names no resumption PSK with usage `reinit`.
    case missingReInitPSK
    /// The `reinit` PSK names another group or epoch than the old group's current one.
    case preSharedKeyMismatch(PreSharedKeyID)
    /// The new group's epoch is not 1.
    case epochNotOne(UInt64)
    /// The new group's `group_id` differs from the ReInit proposal's.
    case groupIDMismatch
    /// The new group's protocol version differs from the ReInit proposal's.
    case versionMismatch
    /// The new group's cipher suite differs from the ReInit proposal's.
    case cipherSuiteMismatch
    /// The new group's GroupContext extensions differ from the ReInit proposal's.
    case extensionsMismatch
    /// A member of the old group, named by its credential, is not a member of the new group.
    case memberMissing(Credential)
}

extension MLSGroupError {
    /// Maps an error of a lower layer to the group error that wraps it.
    init(wrapping error: any Error) {
        switch error {
        case let error as MLSGroupError: self = error
        case let error as ProposalRuleViolation: self = .invalidProposal(error)
        case let error as ReInitViolation: self = .invalidReinitialization(error)
        case let error as KeyPackageValidationError: self = .invalidKeyPackage(error)
        case let error as LeafNodeValidationError: self = .invalidLeafNode(error)
        case let error as RatchetTreeError: self = .tree(error)
        case let error as TreeKEMError: self = .treeKEM(error)
        case let error as FramingError: self = .framing(error)
        case let error as SecretTreeError: self = .secretTree(error)
        case let error as CipherSuiteError: self = .crypto(error)
        case let error as MLSCodingError: self = .decoding(error)
        default: self = .internalFailure(String(describing: error))
        }
    }
}

/// Runs `body`, turning any error it throws into an ``MLSGroupError``.
func withGroupErrors<Result>(_ body: () throws -> Result) throws(MLSGroupError) -> Result {
    do { return try body() } catch { throw MLSGroupError(wrapping: error) }
}
