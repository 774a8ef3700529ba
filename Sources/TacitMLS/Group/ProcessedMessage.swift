/// The result of ``MLSGroup/process(_:)``.
public enum ProcessedMessage: Hashable, Sendable {
    /// An application message, decrypted and authenticated.
    case application(ApplicationMessage)
    /// A proposal, validated and stored until a Commit covers it or the epoch ends.
    case proposal(ReceivedProposal)
    /// A Commit, validated and merged: the group is now in the new epoch.
    case commit(CommitChanges)
}

/// A decrypted application message.
public struct ApplicationMessage: Hashable, Sendable {
    /// The sender.
    public var sender: GroupMember
    /// The epoch the message was sent in (a past epoch for a late message).
    public var epoch: UInt64
    /// The application data.
    public var data: [UInt8]
    /// The unencrypted but authenticated data sent with it.
    public var authenticatedData: [UInt8]
}

/// A proposal received and stored for a later Commit.
public struct ReceivedProposal: Hashable, Sendable {
    /// Its reference, as a Commit names it.
    public var reference: ProposalRef
    /// The proposal.
    public var proposal: Proposal
    /// Who sent it.
    public var sender: Sender
}
