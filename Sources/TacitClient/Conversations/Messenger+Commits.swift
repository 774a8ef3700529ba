import Crypto
import Foundation
import Logging
import SwiftProtobuf
import TacitMLS
import TacitWire

/// One Commit to make: who to add and remove, and new settings.
struct CommitPlan: Sendable {
    var adds: [KeyPackage] = []
    var removes: [LeafIndex] = []
    var metadata: ConversationMetadata?
    /// Devices not to send the Commit to (revoked ones, which the server no longer serves).
    var excludedRecipients: Set<DeviceID> = []

    var isEmpty: Bool { adds.isEmpty && removes.isEmpty && metadata == nil }
}

/// Making Commits: one per server epoch. A Commit is sent with an ``EpochClaim``; when the
/// server says another Commit took the epoch (`staleEpoch`), the pending Commit is dropped,
/// incoming messages are processed until the group reaches the server's epoch, and the plan
/// is recomputed against the new state and sent again.
extension Messenger {
    /// Commits what `plan` asks for (computed afresh on each attempt, under the gate), and
    /// repeats while it asks for more. Returns the changes of every Commit made.
    @discardableResult
    func commitRepeatedly(in id: ConversationID,
                          plan: (MLSGroup, Conversation) throws(MessengerError) -> CommitPlan?) async throws(MessengerError) -> [CommitChanges] {
        try await exclusively { () async throws(MessengerError) in
            var all: [CommitChanges] = []
            while let changes = try await commitOnce(in: id, plan: plan) {
                all.append(changes)
            }
            return all
        }
    }

    /// One Commit, retried across lost epochs (call under the gate). Nil when the plan is empty.
    private func commitOnce(in id: ConversationID,
                            plan: (MLSGroup, Conversation) throws(MessengerError) -> CommitPlan?) async throws(MessengerError) -> CommitChanges? {
        var attempt = 0
        while true {
            await drainInbox()
            if groups[id]?.hasPendingCommit == true { await finishPendingCommit(id) }
            let (current, conversation) = try activeGroup(id)
            var group = current
            guard let plan = try plan(group, conversation), !plan.isEmpty else { return nil }
            var proposals = plan.removes.map { Proposal.remove(RemoveProposal(removed: $0)) }
                + plan.adds.map { Proposal.add(AddProposal(keyPackage: $0)) }
            if let metadata = plan.metadata {
                proposals.append(.groupContextExtensions(GroupContextExtensionsProposal(
                    extensions: metadata.replacing(in: group.groupContext.extensions))))
            }
            let token = try Self.epochToken(of: group)
            let bundle = try Self.mls { () throws(MLSGroupError) in
                try group.commit(proposals: proposals, options: CommitOptions(
                    includePendingProposals: false, pathPolicy: .always, ratchetTreeInWelcome: true, groupInfo: nil))
            }
            var next = group
            try Self.mls { () throws(MLSGroupError) in _ = try next.mergePendingCommit() }
            let claim = EpochClaim(groupID: group.groupID, epoch: group.epoch, epochToken: token,
                                   nextTokenHash: Array(SHA256.hash(data: try Self.epochToken(of: next))))
            var recipients = MemberRoster(group: group).devices(except: deviceID).filter { !plan.excludedRecipients.contains($0) }
            var body = Self.transport(bundle.commit)
            let newDevices = MemberRoster(bundle.changes.added).devices
            var additional: [Dispatch] = []
            if let welcome = bundle.welcome, !newDevices.isEmpty {
                additional.append(Dispatch(recipients: newDevices, body: Self.transport(welcome)))
            }
            // The server wants a recipient for the body: with nobody else in the group yet, the
            // Welcome is the body; with nobody at all, this device gets its own Commit (and drops it).
            if recipients.isEmpty {
                if let welcome = additional.first {
                    (recipients, body, additional) = (welcome.recipients, welcome.body, [])
                } else {
                    recipients = [deviceID]
                }
            }
            // The handshake ratchet moved: keep that even if the Commit loses. The send is
            // recorded too, so after a crash it is repeated (idempotently) before anything else.
            let record = PendingCommitRecord(clientMessageID: ClientMessageID.random().bytes, recipients: recipients,
                                             body: body, claim: claim, additional: additional)
            try store.setSealedValue(record, key: record.storeKey(for: id))
            try store.write { db in try store.saveGroup(group, in: db) }
            groups[id] = group
            do {
                _ = try await client.send(to: recipients, body: body, clientMessageID: ClientMessageID(bytes: record.clientMessageID),
                                          epochClaim: claim, additional: additional)
            } catch .server(let error) {
                guard case .staleEpoch(let current) = error.code else {
                    group.discardPendingCommit()
                    groups[id] = group
                    try store.write { db in try store.saveGroup(group, in: db) }
                    try store.removeSealedValue(key: record.storeKey(for: id))
                    throw .client(.server(error))
                }
                group.discardPendingCommit()
                groups[id] = group
                try store.write { db in try store.saveGroup(group, in: db) }
                try store.removeSealedValue(key: record.storeKey(for: id))
                attempt += 1
                logger.info("a Commit lost its epoch; catching up", metadata: [
                    "conversation": "\(id)", "epoch": "\(claim.epoch)", "server": "\(current)", "attempt": "\(attempt)"])
                guard attempt < options.maximumCommitAttempts else { throw .gaveUpAfterConflicts(id) }
                try await catchUp(id, to: current)
                continue
            } catch {
                // Not known whether the server has it: keep it pending; the next start repeats the send.
                throw .client(error)
            }
            let changes = try Self.mls { () throws(MLSGroupError) in try group.mergePendingCommit() }
            try applyCommit(changes, group: group, conversation: conversation)
            try store.removeSealedValue(key: record.storeKey(for: id))
            retryDeferred(id)
            return changes
        }
    }

    /// Processes incoming messages until the group reaches `epoch` (the server's), or it is
    /// no longer a member, or the wait times out.
    private func catchUp(_ id: ConversationID, to epoch: UInt64) async throws(MessengerError) {
        let deadline = ContinuousClock.now + options.catchUpTimeout
        while true {
            await drainInbox()
            guard let group = groups[id], group.status == .active, conversationsByID[id]?.status == .active else {
                throw .notAMember(id)
            }
            if group.epoch >= epoch { return }
            guard await waitForInbox(until: deadline) else {
                logger.warning("the winning Commit did not arrive in time",
                               metadata: ["conversation": "\(id)", "epoch": "\(group.epoch)", "server": "\(epoch)"])
                return
            }
        }
    }

    /// Repeats the send of Commits that were pending when the app stopped: a duplicate
    /// answer means the server has it (merge), a lost epoch means another won (discard).
    func finishPendingCommits() async {
        for (id, group) in groups where group.hasPendingCommit {
            await finishPendingCommit(id)
        }
    }

    /// Repeats the send of one conversation's pending Commit (see ``finishPendingCommits()``).
    func finishPendingCommit(_ id: ConversationID) async {
        guard var group = groups[id], group.hasPendingCommit else { return }
        let key = PendingCommitRecord.storeKey(for: id)
        var accepted = false
        if let record = try? store.sealedValue(PendingCommitRecord.self, key: key) {
            do {
                _ = try await client.send(to: record.recipients, body: record.body,
                                          clientMessageID: ClientMessageID(bytes: record.clientMessageID),
                                          epochClaim: record.claim, additional: record.additional)
                accepted = true
            } catch {
                logger.info("a pending Commit was not accepted; dropping it", metadata: ["error": "\(error)"])
            }
        }
        do throws(MessengerError) {
            if accepted, let conversation = conversationsByID[id] {
                let changes = try Self.mls { () throws(MLSGroupError) in try group.mergePendingCommit() }
                try applyCommit(changes, group: group, conversation: conversation)
            } else {
                group.discardPendingCommit()
                try store.write { db in try store.saveGroup(group, in: db) }
                groups[id] = group
            }
            try store.removeSealedValue(key: key)
        } catch {
            logger.error("cannot finish a pending Commit", metadata: ["conversation": "\(id)", "error": "\(error)"])
        }
    }

    /// A delivery body carrying `message`.
    static func transport(_ message: MLSMessage) -> [UInt8] {
        var transport = ContentTransport()
        transport.kind = .mlsMessage(Data(message.mlsEncoded))
        return (try? transport.serializedBytes()) ?? []
    }
}

/// A Commit's send as made, kept until the server answered it, so that it can be repeated
/// with the same client message id after a crash.
struct PendingCommitRecord: Codable, Sendable {
    var clientMessageID: [UInt8]
    var recipients: [DeviceID]
    var body: [UInt8]
    var groupID: [UInt8]
    var epoch: UInt64
    var epochToken: [UInt8]
    var nextTokenHash: [UInt8]
    var dispatches: [[DeviceID]]
    var dispatchBodies: [[UInt8]]

    init(clientMessageID: [UInt8], recipients: [DeviceID], body: [UInt8], claim: EpochClaim, additional: [Dispatch]) {
        self.clientMessageID = clientMessageID
        self.recipients = recipients
        self.body = body
        groupID = claim.groupID
        epoch = claim.epoch
        epochToken = claim.epochToken
        nextTokenHash = claim.nextTokenHash
        dispatches = additional.map(\.recipients)
        dispatchBodies = additional.map(\.body)
    }

    var claim: EpochClaim {
        EpochClaim(groupID: groupID, epoch: epoch, epochToken: epochToken, nextTokenHash: nextTokenHash)
    }

    var additional: [Dispatch] {
        zip(dispatches, dispatchBodies).map { Dispatch(recipients: $0, body: $1) }
    }

    static func storeKey(for id: ConversationID) -> String { "pending-commit:\(id)" }
    func storeKey(for id: ConversationID) -> String { Self.storeKey(for: id) }
}
