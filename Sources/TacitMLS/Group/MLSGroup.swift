/// One client's view of an MLS group (RFC 9420): its ratchet tree, key schedule, secret tree,
/// pending proposals and own private keys.
///
/// `MLSGroup` is a value: every operation either completes or throws and leaves the value as it
/// was. Incoming Commits are validated completely, staged into a new epoch and only then merged
/// (validate → stage → merge). Commits this client creates are held as a *pending* Commit until
/// the delivery service accepts them (``mergePendingCommit()``) or another Commit wins
/// (``discardPendingCommit()``, or processing the winning Commit).
///
/// Persist the group with ``serializedState()`` and restore it with
/// ``init(serializedState:configuration:)``; the configuration (policies, clock, PSK store) is
/// not part of the state.
public struct MLSGroup: Sendable {
    /// Whether the group can still be used.
    public enum Status: Hashable, Sendable {
        /// A member in good standing.
        case active
        /// Removed by a Commit; only late application messages of past epochs can still be read.
        case removed
        /// A Commit with this ReInit proposal ended the group. Its state still serves the
        /// successor group: see ``MLSGroup/reinitialize(from:keyPackages:identity:capabilities:lifetime:leafExtensions:options:configuration:)``
        /// and ``MLSGroup/join(welcome:keyPackage:reinitializing:ratchetTree:configuration:)``.
        case reinitialized(ReInitProposal)
    }

    /// The group's policies; not serialized.
    public var configuration: MLSGroupConfiguration
    /// Whether the group is usable.
    public internal(set) var status: Status
    /// The cipher suite implementation.
    public let suite: any CipherSuite

    var current: EpochState
    var signatureKeyPair: SignatureKeyPair
    /// `signatureKeyPair`'s private key prepared for signing.
    let signingKey: any PreparedSigningKey
    var pendingProposals: [PendingProposal]
    var pendingCommit: PendingCommit?
    /// Resumption PSKs of recent epochs, newest first.
    var resumptionPSKs: [(epoch: UInt64, secret: [UInt8])]
    /// Application keys of recent past epochs, newest first.
    var pastEpochs: [PastEpoch]

    init(configuration: MLSGroupConfiguration, suite: any CipherSuite, epoch: EpochState, signatureKeyPair: SignatureKeyPair) {
        self.configuration = configuration
        self.suite = suite
        status = .active
        current = epoch
        self.signatureKeyPair = signatureKeyPair
        // A key the suite cannot prepare fails when used, as it did unprepared.
        signingKey = (try? suite.preparedSigningKey(privateKey: signatureKeyPair.privateKey))
            ?? RawSigningKey(suite: suite, privateKey: signatureKeyPair.privateKey)
        pendingProposals = []
        pendingCommit = nil
        resumptionPSKs = [(epoch.groupContext.epoch, epoch.keys.resumptionPSK)]
        pastEpochs = []
    }

    // MARK: Reading the state

    /// The group's identifier.
    public var groupID: [UInt8] { current.groupContext.groupID }
    /// The current epoch.
    public var epoch: UInt64 { current.groupContext.epoch }
    /// The cipher suite identifier.
    public var cipherSuite: CipherSuiteID { current.groupContext.cipherSuite }
    /// The current GroupContext.
    public var groupContext: GroupContext { current.groupContext }
    /// The current public ratchet tree.
    public var ratchetTree: RatchetTree { current.tree }
    /// This client's leaf.
    public var ownLeafIndex: LeafIndex { current.ownLeaf }
    /// The current `epoch_authenticator` (Section 8.7): equal for all members that share this epoch.
    public var epochAuthenticator: [UInt8] { current.keys.epochAuthenticator }
    /// The current epoch's `resumption_psk` (Section 8.6).
    public var resumptionPSK: [UInt8] { current.keys.resumptionPSK }
    /// Whether a Commit created by this client awaits merging.
    public var hasPendingCommit: Bool { pendingCommit != nil }
    /// The proposals stored for the next Commit.
    public var pendingProposalList: [ReceivedProposal] {
        pendingProposals.map { ReceivedProposal(reference: $0.reference, proposal: $0.proposal, sender: $0.sender) }
    }

    /// The members, by leaf index.
    public var members: [GroupMember] {
        current.tree.occupiedLeaves.compactMap { index in current.tree.leafNode(at: index).map { GroupMember(index: index, leaf: $0) } }
    }

    /// The member at `index`, if that leaf is occupied.
    public func member(at index: LeafIndex) -> GroupMember? {
        current.tree.leafNode(at: index).map { GroupMember(index: index, leaf: $0) }
    }

    /// `MLS-Exporter(label, context, length)` of the current epoch (Section 8.5).
    public func export(label: String, context: [UInt8], length: Int) throws(MLSGroupError) -> [UInt8] {
        try withGroupErrors { try current.keys.exporter(suite: suite, label: label, context: context, length: length) }
    }

    /// Throws unless the group is active.
    func requireActive() throws(MLSGroupError) {
        switch status {
        case .active: return
        case .removed: throw .removedFromGroup
        case .reinitialized(let proposal): throw .groupReinitialized(proposal)
        }
    }

    /// This client's current leaf node.
    var ownLeafNode: LeafNode? { current.tree.leafNode(at: current.ownLeaf) }

    /// The number of the epoch after `epoch`; throws rather than wrapping around.
    static func epoch(after epoch: UInt64) throws(MLSGroupError) -> UInt64 {
        guard epoch < UInt64.max else { throw .epochLimitReached }
        return epoch + 1
    }
}

/// A Commit this client created, held until the delivery service accepts it.
struct PendingCommit: Sendable {
    /// The Commit as sent, to recognize it if the delivery service echoes it.
    var message: MLSMessage
    /// The signed and confirmed Commit, to recognize it if it comes back.
    var content: AuthenticatedContent
    /// The epoch it starts.
    var staged: StagedCommit
}

/// The application keys of a past epoch, kept briefly for late application messages.
struct PastEpoch: Sendable {
    var groupContext: GroupContext
    var senderDataSecret: [UInt8]
    var secretTree: SecretTree
    /// The epoch's members.
    var roster: PastEpochRoster

    /// The member that was at `leaf` in this epoch.
    func member(at leaf: LeafIndex) -> GroupMember? { roster.member(at: leaf) }
}

/// The members of a past epoch: its ratchet tree, which the epoch state already shares (so
/// keeping it copies nothing at merge time, however large the group), or the list restored
/// from a serialized state.
enum PastEpochRoster: Sendable {
    case tree(RatchetTree)
    case restored([UInt32: GroupMember])

    func member(at leaf: LeafIndex) -> GroupMember? {
        switch self {
        case .tree(let tree): tree.leafNode(at: leaf).map { GroupMember(index: leaf, leaf: $0) }
        case .restored(let members): members[leaf.rawValue]
        }
    }

    /// Every member, by increasing leaf index.
    var sortedMembers: [GroupMember] {
        switch self {
        case .tree(let tree):
            tree.occupiedLeaves.compactMap { index in tree.leafNode(at: index).map { GroupMember(index: index, leaf: $0) } }
        case .restored(let members):
            members.keys.sorted().compactMap { members[$0] }
        }
    }
}

/// A fully validated Commit's result: the next epoch and what changed, ready to merge.
struct StagedCommit: Sendable {
    /// The new epoch; `nil` when the Commit removed this member, who cannot derive it.
    var next: EpochState?
    var changes: CommitChanges
}
