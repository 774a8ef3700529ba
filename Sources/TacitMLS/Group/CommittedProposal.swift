/// One proposal as a Commit covers it: the proposal, its sender, and its reference when the
/// Commit names it by reference.
struct CommittedProposal: Sendable {
    var proposal: Proposal
    var sender: Sender
    var reference: ProposalRef?

    /// The `ProposalOrRef` the Commit carries for it.
    var proposalOrRef: ProposalOrRef {
        reference.map(ProposalOrRef.reference) ?? .proposal(proposal)
    }
}

/// The new tree and GroupContext parameters after a Commit's proposals (RFC 9420, Section 12.3),
/// before any UpdatePath.
struct AppliedProposals: Sendable {
    var tree: RatchetTree
    var extensions: [Extension]
    var extensionsChanged: Bool
    var added: [(index: LeafIndex, keyPackage: KeyPackage)]
    var removed: [GroupMember]
    var updated: [LeafIndex]
    var preSharedKeys: [PreSharedKeyID]
    var externalInit: ExternalInitProposal?
    var reInit: ReInitProposal?
    /// Whether the Commit must carry an UpdatePath (Section 12.4).
    var requiresPath: Bool

    /// The leaves of the members added by this Commit.
    var addedLeaves: Set<LeafIndex> { Set(added.map(\.index)) }
}
