/// What a merged Commit changed (RFC 9420, Section 12.4).
public struct CommitChanges: Hashable, Sendable {
    /// The epoch the Commit started.
    public var epoch: UInt64
    /// Who committed: a member, or `newMemberCommit` for an external join.
    public var committer: Sender
    /// Members added by Add proposals, or the external joiner.
    public var added: [GroupMember]
    /// Members removed, as they were before removal.
    public var removed: [GroupMember]
    /// Members whose leaf an Update proposal replaced (the committer's own path is not listed).
    public var updated: [GroupMember]
    /// The PSKs injected into the new epoch.
    public var preSharedKeys: [PreSharedKeyID]
    /// The new GroupContext extensions, if a GroupContextExtensions proposal replaced them.
    public var groupContextExtensions: [Extension]?
    /// The ReInit proposal, if the Commit ended the group for a reinitialization.
    public var reInit: ReInitProposal?
    /// Whether this client was removed; the group then takes no further part.
    public var removedSelf: Bool

    /// Describes the changes of one Commit.
    public init(epoch: UInt64, committer: Sender, added: [GroupMember] = [], removed: [GroupMember] = [],
                updated: [GroupMember] = [], preSharedKeys: [PreSharedKeyID] = [],
                groupContextExtensions: [Extension]? = nil, reInit: ReInitProposal? = nil, removedSelf: Bool = false) {
        self.epoch = epoch
        self.committer = committer
        self.added = added
        self.removed = removed
        self.updated = updated
        self.preSharedKeys = preSharedKeys
        self.groupContextExtensions = groupContextExtensions
        self.reInit = reInit
        self.removedSelf = removedSelf
    }
}

extension CommitChanges: MLSCodable {
    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(epoch)
        encoder.write(committer)
        encoder.writeVector(added)
        encoder.writeVector(removed)
        encoder.writeVector(updated)
        encoder.writeVector(preSharedKeys)
        encoder.write(groupContextExtensions != nil)
        encoder.writeVector(groupContextExtensions ?? [])
        encoder.writeOptional(reInit)
        encoder.write(removedSelf)
    }

    public init(from decoder: inout MLSDecoder) throws {
        epoch = try decoder.readUInt64()
        committer = try decoder.read()
        added = try decoder.readVector()
        removed = try decoder.readVector()
        updated = try decoder.readVector()
        preSharedKeys = try decoder.readVector()
        let hasExtensions = try decoder.readBool()
        let extensions = try decoder.readVector(of: Extension.self)
        groupContextExtensions = hasExtensions ? extensions : nil
        reInit = try decoder.readOptional()
        removedSelf = try decoder.readBool()
    }
}
