import Foundation
import GRDB
import Logging
import SwiftProtobuf
import TacitMLS
import TacitWire

/// The incoming pipeline: envelopes from ``TacitClient/incoming`` are queued, then processed
/// one at a time under the group gate — decoded, applied to the MLS group, persisted with
/// their effects in one transaction, and only then acknowledged. Whatever cannot be processed
/// is logged and acknowledged, so one bad message never blocks the queue.
extension Messenger {
    func enqueue(_ envelope: IncomingEnvelope) {
        inbox.append(envelope)
        enqueuedCount += 1
        scheduleDrain()
    }

    /// Returns once everything the server had queued for this device when the connection
    /// opened has been processed (for `tacit read` without `--follow`, and for bots that
    /// answer a backlog before going live).
    public func synchronize() async throws(MessengerError) {
        guard isStarted, !isClosed else { throw .notStarted }
        let delivered = try await clientCall { () async throws(ClientError) in try await client.waitForBacklog() }
        while enqueuedCount < delivered, !isClosed, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(5))
        }
        try await exclusively { () async throws(MessengerError) in await drainInbox() }
    }

    func scheduleDrain() {
        guard !drainScheduled, !isClosed else { return }
        drainScheduled = true
        Task {
            try? await self.exclusively { () async throws(MessengerError) in
                self.drainScheduled = false
                await self.drainInbox()
            }
        }
    }

    /// Processes everything queued (call only under the gate).
    func drainInbox() async {
        while !inbox.isEmpty {
            let envelope = inbox.removeFirst()
            let acknowledge = await process(envelope)
            if acknowledge {
                do {
                    try await client.acknowledge(envelope)
                } catch {
                    logger.error("cannot acknowledge", metadata: ["queue": "\(envelope.queueID)", "error": "\(error)"])
                }
            }
        }
    }

    /// Waits (under the gate) until something is queued or `deadline` passes.
    func waitForInbox(until deadline: ContinuousClock.Instant) async -> Bool {
        while inbox.isEmpty {
            guard ContinuousClock.now < deadline, !isClosed, !Task.isCancelled else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Processes one envelope; returns whether to acknowledge it now (false: deferred).
    private func process(_ envelope: IncomingEnvelope) async -> Bool {
        let transport: ContentTransport
        do {
            transport = try ContentTransport(serializedBytes: envelope.body)
        } catch {
            logger.warning("dropping an undecodable delivery", metadata: ["sender": "\(envelope.senderDeviceID)"])
            return true
        }
        switch transport.kind {
        case .mlsMessage(let bytes):
            let message: MLSMessage
            do {
                message = try MLSMessage(mlsEncoded: Array(bytes))
            } catch {
                logger.warning("dropping a malformed MLS message", metadata: ["sender": "\(envelope.senderDeviceID)"])
                return true
            }
            messageTap?(message)
            if envelope.senderDeviceID == deviceID {
                // This device's own Commit, sent to itself when nobody else was in the group.
                return true
            }
            do throws(MessengerError) {
                switch message.body {
                case .welcome(let welcome):
                    try join(welcome, from: envelope)
                case .privateMessage(let privateMessage):
                    return try receive(privateMessage, message: message, from: envelope)
                default:
                    logger.warning("dropping an MLS message of an unexpected wire format",
                                   metadata: ["format": "\(message.wireFormat)"])
                }
            } catch {
                logger.warning("dropping a message that cannot be processed",
                               metadata: ["sender": "\(envelope.senderUsername)/\(envelope.senderDeviceID)",
                                          "error": "\(error)"])
            }
        case .deviceAnnouncement(let announcement):
            if envelope.senderUsername == username, envelope.senderDeviceID != deviceID {
                let device = envelope.senderDeviceID
                let key = Array(announcement.identityKey)
                Task { await self.addOwnDeviceEverywhere(device, identityKey: key) }
            }
        case nil:
            logger.warning("dropping a delivery of an unknown kind")
        }
        return true
    }

    // MARK: Welcome

    private func join(_ welcome: Welcome, from envelope: IncomingEnvelope) throws(MessengerError) {
        if isBlocked(envelope.senderUsername) {
            logger.info("dropping a Welcome from a blocked account")
            return
        }
        var found: (ref: [UInt8], bundle: KeyPackageBundle, lastResort: Bool)?
        for secrets in welcome.secrets {
            if let stored = try store.keyPackage(ref: secrets.newMember.bytes) {
                found = (secrets.newMember.bytes, stored.bundle, stored.lastResort)
                break
            }
        }
        guard let found else {
            logger.warning("a Welcome names none of this device's KeyPackages")
            return
        }
        let configuration = groupConfiguration
        let group = try Self.mls { () throws(MLSGroupError) in
            try MLSGroup.join(welcome: welcome, keyPackage: found.bundle, configuration: configuration)
        }
        let id = ConversationID(bytes: group.groupID)
        if let existing = conversationsByID[id], existing.status == .active, let known = groups[id], known.epoch >= group.epoch {
            logger.debug("a Welcome for a conversation this device is in", metadata: ["conversation": "\(id)"])
            return
        }
        let roster = MemberRoster(group: group)
        let metadata = ConversationMetadata(extensions: group.groupContext.extensions)
            ?? ConversationMetadata(kind: .group, createdBy: envelope.senderUsername)
        let now = Date()
        var conversation = conversationsByID[id] ?? Conversation(
            id: id, metadata: metadata, status: .active, members: roster.accounts, peer: nil, epoch: group.epoch,
            createdAt: now, updatedAt: now, unreadCount: 0, pendingLeavers: [])
        conversation.metadata = metadata
        conversation.status = .active
        conversation.members = roster.accounts
        conversation.epoch = group.epoch
        conversation.updatedAt = now
        if metadata.kind == .direct {
            conversation.peer = roster.accounts.first { $0 != username } ?? metadata.createdBy
        }
        var events: [MessengerEvent] = [.conversationUpdated(conversation)]
        var contact: Contact?
        if metadata.kind == .direct, let peer = conversation.peer {
            contact = directContact(peer: peer, metadata: metadata, conversation: id, now: now)
            if let contact, isBlocked(peer) == false {
                events.append(contact.state == .incomingRequest ? .contactRequest(contact) : .contactUpdated(contact))
            }
        }
        try store.write { db in
            try store.saveGroup(group, in: db)
            try store.saveConversation(conversation, in: db)
            if let contact { try store.saveContact(contact, in: db) }
            if !found.lastResort { try store.deleteKeyPackage(ref: found.ref, in: db) }
        }
        groups[id] = group
        conversationsByID[id] = conversation
        if let contact { contactsByName[contact.username] = contact }
        logger.info("joined a conversation", metadata: ["conversation": "\(id)", "epoch": "\(group.epoch)"])
        emit(events)
        if !found.lastResort { Task { try? await self.topUpKeyPackages() } }
    }

    /// The contact record a direct conversation implies, from its metadata.
    private func directContact(peer: String, metadata: ConversationMetadata, conversation: ConversationID,
                               now: Date) -> Contact? {
        let previous = contactsByName[peer]
        guard let state = Contact.State.implied(by: metadata, ownUsername: username, previous: previous?.state) else {
            return nil
        }
        var contact = previous ?? Contact(username: peer, state: state, profile: nil, conversationID: conversation,
                                          updatedAt: now)
        contact.state = state
        contact.conversationID = conversation
        contact.updatedAt = now
        return contact
    }

    // MARK: PrivateMessage

    /// Returns false when the message belongs to an epoch this device has not reached yet.
    private func receive(_ privateMessage: PrivateMessage, message: MLSMessage,
                         from envelope: IncomingEnvelope) throws(MessengerError) -> Bool {
        let id = ConversationID(bytes: privateMessage.groupID)
        guard var group = groups[id], let conversation = conversationsByID[id] else {
            logger.info("dropping a message for a conversation this device is not in", metadata: ["conversation": "\(id)"])
            return true
        }
        if privateMessage.epoch > group.epoch, group.status == .active {
            // Wait for the Commits in between (unacknowledged, so a restart delivers it again);
            // an epoch far ahead is no honest member's.
            guard privateMessage.epoch - group.epoch <= 64, (deferred[id]?.count ?? 0) < 10_000 else {
                logger.warning("dropping a message from an epoch far ahead", metadata: ["conversation": "\(id)"])
                return true
            }
            deferred[id, default: []].append(envelope)
            return false
        }
        let processed = try Self.mls { () throws(MLSGroupError) in try group.process(message) }
        switch processed {
        case .application(let application):
            try applyApplication(application, group: group, conversation: conversation, envelope: envelope)
        case .commit(let changes):
            try applyCommit(changes, group: group, conversation: conversation)
            retryDeferred(id)
        case .proposal:
            // Tacit members never send proposals; storing one would block sending until committed.
            logger.warning("ignoring a proposal", metadata: ["conversation": "\(id)"])
        }
        return true
    }

    /// Puts messages that waited for a newer epoch back at the front of the queue.
    func retryDeferred(_ id: ConversationID) {
        guard let waiting = deferred.removeValue(forKey: id), !waiting.isEmpty else { return }
        inbox.insert(contentsOf: waiting, at: 0)
    }

    /// Records a merged Commit's effects: members, settings, this device's removal.
    func applyCommit(_ changes: CommitChanges, group: MLSGroup, conversation old: Conversation) throws(MessengerError) {
        let id = old.id
        let roster = MemberRoster(group: group)
        var conversation = old
        conversation.epoch = group.epoch
        conversation.members = changes.removedSelf ? old.members : roster.accounts
        conversation.updatedAt = Date()
        if let metadata = ConversationMetadata(extensions: group.groupContext.extensions) { conversation.metadata = metadata }
        conversation.pendingLeavers.removeAll { !conversation.members.contains($0) }
        var events: [MessengerEvent] = []
        var followUps: [@Sendable () async -> Void] = []
        if changes.removedSelf || group.status != .active {
            conversation.status = .removed
        }
        let added = Set(conversation.members).subtracting(old.members).sorted()
        let removed = Set(old.members).subtracting(conversation.members).sorted()
        if !added.isEmpty || !removed.isEmpty {
            events.append(.membersChanged(conversation: id, added: added, removed: removed))
        }
        var contact: Contact?
        if conversation.metadata != old.metadata || conversation.status != old.status {
            events.append(.conversationUpdated(conversation))
        }
        if conversation.isDirect, conversation.metadata.contactAccepted, !old.metadata.contactAccepted,
           let peer = conversation.peer, var known = contactsByName[peer], known.state != .blocked {
            known.state = .accepted
            known.updatedAt = Date()
            contact = known
            events.append(.contactUpdated(known))
            followUps.append { try? await self.sendProfile(to: id) }
        }
        try store.write { db in
            try store.saveGroup(group, in: db)
            try store.saveConversation(conversation, in: db)
            if let contact { try store.saveContact(contact, in: db) }
        }
        groups[id] = group
        conversationsByID[id] = conversation
        if let contact { contactsByName[contact.username] = contact }
        emit(events)
        for work in followUps { Task { await work() } }
    }

    // MARK: Application messages

    private func applyApplication(_ application: ApplicationMessage, group: MLSGroup, conversation old: Conversation,
                                  envelope: IncomingEnvelope) throws(MessengerError) {
        let id = old.id
        guard case .basic(let identity) = application.sender.credential,
              let sender = TacitClient.parseMemberIdentity(identity) else {
            throw .notAllowed("a sender without a Tacit identity")
        }
        let content = try decodeContent(application.data)
        var conversation = old
        var changed: ChatMessage?
        var created: ChatMessage?
        var events: [MessengerEvent] = []
        var contact: Contact?
        var followUps: [@Sendable () async -> Void] = []
        let outgoing = sender.username == username
        let dropped = isBlocked(sender.username)
        let time = envelope.serverTime

        func target(_ messageID: MessageID) throws(MessengerError) -> ChatMessage? {
            try store.read { db in try store.message(messageID, in: id, db: db) }
        }

        if !dropped {
            switch content.content {
            case .text, .attachment:
                let shown = content.content.shownMessage ?? ShownMessage(text: "", replyTo: nil, mentions: [], attachment: nil)
                let exists = try store.read { db in try store.hasMessage(content.id, in: id, db: db) }
                if !exists {
                    let message = ChatMessage(
                        id: content.id, conversationID: id, sender: sender.username, senderDevice: sender.deviceID,
                        isOutgoing: outgoing, sentAt: content.sentAt, serverTime: time, text: shown.text,
                        replyTo: shown.replyTo, mentions: shown.mentions, editedAt: nil, isRecalled: false, reactions: [:],
                        status: outgoing ? .sent : .delivered, readBy: [],
                        expiresAt: conversation.metadata.disappearingAfter.map { time.addingTimeInterval($0.seconds) },
                        attachment: shown.attachment)
                    created = message
                    conversation.updatedAt = Date()
                    if !outgoing {
                        conversation.unreadCount += 1
                        if conversation.members.count <= options.receiptAccountLimit {
                            let messageID = content.id
                            followUps.append { try? await self.send(.receipt(.delivered, targets: [messageID]), in: id) }
                        }
                    }
                    events.append(.messageReceived(message))
                }
            case .edit(let targetID, let text, let mentions):
                if let message = try target(targetID)?.edited(text: text, mentions: mentions, by: sender.username, at: time) {
                    changed = message
                    events.append(.messageEdited(message))
                }
            case .recall(let targetID):
                if let message = try target(targetID)?.recalled(by: sender.username, at: time, window: options.recallWindow) {
                    changed = message
                    events.append(.messageRecalled(message))
                } else {
                    logger.info("ignoring a recall outside the window or by another account")
                }
            case .reaction(let targetID, let emoji, let remove):
                if let message = try target(targetID)?.reacting(emoji, by: sender.username, remove: remove) {
                    changed = message
                    events.append(.reactionsChanged(message))
                }
            case .receipt(let kind, let targets):
                if !outgoing {
                    for targetID in targets.prefix(1000) {
                        if let message = try target(targetID)?.receipted(kind, by: sender.username) {
                            try store.write { db in try store.saveMessage(message, in: db) }
                            events.append(.statusChanged(message))
                        }
                    }
                    events.append(.receipt(conversation: id, from: sender.username, kind: kind, messages: targets))
                }
            case .typing(let active):
                if !outgoing { events.append(.typing(conversation: id, username: sender.username, active: active)) }
            case .profile(let profile):
                if !outgoing, conversation.isDirect, var known = contactsByName[sender.username], known.state == .accepted {
                    known.profile = profile
                    known.updatedAt = Date()
                    contact = known
                    events.append(.contactUpdated(known))
                }
            case .contactRequest(let token, _):
                if !outgoing, conversation.isDirect, var known = contactsByName[sender.username] {
                    if known.state != .accepted {
                        known.state = .incomingRequest
                        contact = known
                    }
                    if let token, isOwnInviteToken(token) {
                        let peer = sender.username
                        followUps.append { try? await self.acceptContact(peer) }
                    }
                }
            case .contactResponse(let accepted):
                if !outgoing, conversation.isDirect, var known = contactsByName[sender.username], known.state != .blocked {
                    known.state = accepted ? .accepted : .declined
                    known.updatedAt = Date()
                    contact = known
                    events.append(.contactUpdated(known))
                    if !accepted {
                        conversation.status = .closed
                        events.append(.conversationUpdated(conversation))
                    }
                }
            case .leave:
                if outgoing {
                    // Another device of this account left: so does this one.
                    conversation.status = .left
                    events.append(.conversationUpdated(conversation))
                } else if !conversation.pendingLeavers.contains(sender.username) {
                    conversation.pendingLeavers.append(sender.username)
                    let roster = MemberRoster(group: group)
                    if roster.designatedCommitter(excluding: Set(conversation.pendingLeavers)) == deviceID {
                        followUps.append { try? await self.removePendingLeavers(in: id) }
                    }
                }
            }
        }
        let closed = conversation.status != .active
        try store.write { db in
            if closed {
                try store.deleteGroup(id, in: db)
            } else {
                try store.saveGroup(group, in: db)
            }
            try store.saveConversation(conversation, in: db)
            if let message = created ?? changed { try store.saveMessage(message, in: db) }
            if let contact { try store.saveContact(contact, in: db) }
        }
        groups[id] = closed ? nil : group
        conversationsByID[id] = conversation
        if let contact { contactsByName[contact.username] = contact }
        emit(events)
        for work in followUps { Task { await work() } }
    }

    private func decodeContent(_ bytes: [UInt8]) throws(MessengerError) -> ContentEnvelope {
        do {
            return try ContentCodec.decode(bytes)
        } catch {
            throw .content(error)
        }
    }

    // MARK: Notices

    func handle(_ notice: ServerNotice) async {
        switch notice {
        case .keyPackagesLow:
            do {
                try await topUpKeyPackages()
            } catch {
                logger.warning("cannot top up KeyPackages", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: Disappearing messages

    func sweepExpiredMessages() {
        do {
            let expired = try store.deleteExpiredMessages(now: Date())
            emit(expired.map { .messageExpired(conversation: $0.0, message: $0.1) })
        } catch {
            logger.warning("cannot delete expired messages", metadata: ["error": "\(error)"])
        }
    }
}
