extension MLSGroup {
    /// Makes a staged Commit's epoch the current one (the last step of validate → stage → merge).
    ///
    /// The ending epoch's application keys are kept for late messages (up to
    /// ``MLSGroupConfiguration/pastEpochRetention``); its proposals and pending Commit are dropped.
    mutating func merge(_ staged: StagedCommit) {
        if configuration.pastEpochRetention > 0 || staged.next == nil {
            pastEpochs.insert(PastEpoch(groupContext: current.groupContext, senderDataSecret: current.keys.senderDataSecret,
                                        secretTree: current.secretTree, roster: .tree(current.tree)), at: 0)
            pastEpochs.removeLast(max(0, pastEpochs.count - max(1, configuration.pastEpochRetention)))
        }
        pendingProposals = []
        pendingCommit = nil
        guard let next = staged.next else {
            status = .removed
            return
        }
        current = next
        resumptionPSKs.insert((next.groupContext.epoch, next.keys.resumptionPSK), at: 0)
        resumptionPSKs.removeLast(max(0, resumptionPSKs.count - configuration.resumptionPSKRetention))
        if let reInit = staged.changes.reInit { status = .reinitialized(reInit) }
    }
}
