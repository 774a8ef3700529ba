/// What a group made by reinitialization is checked against (RFC 9420, Sections 11.2 and
/// 12.4.3.1): the old group's ReInit proposal, its identifier and current epoch (the one its
/// ReInit Commit started), that epoch's resumption PSK, and its members.
///
/// Both sides use it: the member making the new group checks its inputs before it sends a
/// Welcome that every other member would refuse, and each joiner checks the Welcome.
struct ReInitLink: Sendable {
    /// The ReInit the old group's last Commit carried.
    let proposal: ReInitProposal
    let oldGroupID: [UInt8]
    /// The old group's current epoch, which the `reinit` PSK must name.
    let oldEpoch: UInt64
    /// The `resumption_psk` of `oldEpoch`.
    let resumptionPSK: [UInt8]
    /// The credentials of the old group's members, this client's included.
    let oldMembers: [Credential]

    /// The link to `oldGroup`.
    ///
    /// - Throws: ``MLSGroupError/groupNotReinitialized`` unless its last Commit carried a ReInit.
    init(oldGroup: MLSGroup) throws(MLSGroupError) {
        guard case .reinitialized(let proposal) = oldGroup.status else { throw .groupNotReinitialized }
        self.proposal = proposal
        oldGroupID = oldGroup.groupID
        oldEpoch = oldGroup.epoch
        resumptionPSK = oldGroup.resumptionPSK
        oldMembers = oldGroup.members.map(\.credential)
    }

    /// The `reinit` PSK among a Welcome's PSKs, with its secret. It must name the old group and
    /// its current epoch: a reinitialized group cannot advance, so no other epoch is right.
    func preSharedKey(among psks: [PreSharedKeyID]) throws -> PreSharedKey {
        guard let id = psks.first(where: \.isReInit) else { throw ReInitViolation.missingReInitPSK }
        guard case .resumption(_, let groupID, let epoch) = id.kind, groupID == oldGroupID, epoch == oldEpoch else {
            throw ReInitViolation.preSharedKeyMismatch(id)
        }
        return PreSharedKey(id: id, secret: resumptionPSK)
    }

    /// The new group starts at epoch 1 with exactly the parameters the ReInit named.
    func checkGroupContext(_ context: GroupContext) throws {
        guard context.epoch == 1 else { throw ReInitViolation.epochNotOne(context.epoch) }
        guard context.groupID == proposal.groupID else { throw ReInitViolation.groupIDMismatch }
        guard context.version == proposal.version else { throw ReInitViolation.versionMismatch }
        guard context.cipherSuite == proposal.cipherSuite else { throw ReInitViolation.cipherSuiteMismatch }
        guard context.extensions == proposal.extensions else { throw ReInitViolation.extensionsMismatch }
    }

    /// Every old member is among `present` (the new group's credentials), as `validator` judges
    /// "the same member": reinitializing must not drop anyone silently.
    func checkMembers(present: [Credential], validator: any CredentialValidator) throws {
        for old in oldMembers where !present.contains(where: { validator.isSameMember(old, as: $0) }) {
            throw ReInitViolation.memberMissing(old)
        }
    }
}
