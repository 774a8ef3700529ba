/// How ``MLSGroup/commit(proposals:options:)`` builds a Commit.
public struct CommitOptions: Sendable {
    /// When the Commit carries an UpdatePath.
    public enum PathPolicy: Hashable, Sendable {
        /// Only when the covered proposals require one, or there are none (Section 12.4).
        case whenRequired
        /// Always, so the committer's leaf and path are refreshed (post-compromise security).
        case always
    }

    /// Whether stored proposals of this epoch are covered by reference (those that can be
    /// committed together; a Remove wins over Updates of the same leaf, and this client's own
    /// Updates are left out, as its path replaces its leaf).
    public var includePendingProposals: Bool
    /// When to include an UpdatePath.
    public var pathPolicy: PathPolicy
    /// Whether the Welcome's GroupInfo carries the `ratchet_tree` extension.
    public var ratchetTreeInWelcome: Bool
    /// The GroupInfo of the new epoch to publish (for example for external joins), or `nil` for none.
    public var groupInfo: GroupInfoOptions?
    /// Authenticated data of the Commit message.
    public var authenticatedData: [UInt8]
    /// New capabilities for the committer's leaf (when a path is included).
    public var leafCapabilities: Capabilities?
    /// New extensions for the committer's leaf (when a path is included).
    public var leafExtensions: [Extension]?

    /// Creates options; the defaults cover stored proposals, add a path only when required, put the tree in the Welcome and publish a GroupInfo.
    public init(includePendingProposals: Bool = true, pathPolicy: PathPolicy = .whenRequired,
                ratchetTreeInWelcome: Bool = true, groupInfo: GroupInfoOptions? = GroupInfoOptions(),
                authenticatedData: [UInt8] = [], leafCapabilities: Capabilities? = nil, leafExtensions: [Extension]? = nil) {
        self.includePendingProposals = includePendingProposals
        self.pathPolicy = pathPolicy
        self.ratchetTreeInWelcome = ratchetTreeInWelcome
        self.groupInfo = groupInfo
        self.authenticatedData = authenticatedData
        self.leafCapabilities = leafCapabilities
        self.leafExtensions = leafExtensions
    }
}

/// What a GroupInfo (RFC 9420, Section 12.4.3) carries besides the GroupContext.
public struct GroupInfoOptions: Hashable, Sendable {
    /// Include the `ratchet_tree` extension, so joiners need no other source for the tree.
    public var includeRatchetTree: Bool
    /// Include the `external_pub` extension, which external Commits need.
    public var includeExternalPub: Bool
    /// Further GroupInfo extensions.
    public var extensions: [Extension]

    /// Creates options; by default the GroupInfo carries both the tree and `external_pub`.
    public init(includeRatchetTree: Bool = true, includeExternalPub: Bool = true, extensions: [Extension] = []) {
        self.includeRatchetTree = includeRatchetTree
        self.includeExternalPub = includeExternalPub
        self.extensions = extensions
    }
}

/// The messages a Commit produces. Send ``commit`` first; deliver ``welcome`` only once the
/// delivery service has accepted the Commit (Section 14), then call ``MLSGroup/mergePendingCommit()``.
public struct CommitBundle: Hashable, Sendable {
    /// The Commit, for the group's current members.
    public var commit: MLSMessage
    /// The Welcome for the members it adds, if any.
    public var welcome: MLSMessage?
    /// The GroupInfo of the new epoch, if requested.
    public var groupInfo: MLSMessage?
    /// What the Commit changes once merged.
    public var changes: CommitChanges
}
