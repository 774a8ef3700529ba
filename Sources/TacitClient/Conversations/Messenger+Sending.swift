import Foundation
import GRDB
import Logging
import TacitMLS

extension Messenger {
    /// Sends a text message; returns it as stored (status ``ChatMessage/Status/sent`` once the
    /// server has it).
    ///
    /// - Parameter mentions: usernames to notify; by default every `@name` in the text that
    ///   names a member.
    @discardableResult
    public func send(text: String, to id: ConversationID, replyTo: MessageID? = nil,
                     mentions: [String]? = nil) async throws(MessengerError) -> ChatMessage {
        let members = conversationsByID[id]?.members ?? []
        let named = mentions ?? Self.mentions(in: text, members: members)
        let (_, message) = try await send(.text(text, replyTo: replyTo, mentions: named), in: id)
        guard let message else { throw .store("the sent message was not stored") }
        return message
    }

    /// Sends `text` to `username`: in the direct conversation with them, opening one (as a
    /// contact request) if there is none yet.
    @discardableResult
    public func send(text: String, toUser username: String) async throws(MessengerError) -> ChatMessage {
        if let direct = directConversation(with: username) {
            return try await send(text: text, to: direct.id)
        }
        let id = try await requestContact(username)
        return try await send(text: text, to: id)
    }

    /// Adds (or removes) a reaction to a message.
    public func react(_ emoji: String, to message: MessageID, in id: ConversationID,
                      remove: Bool = false) async throws(MessengerError) {
        _ = try self.message(message, in: id)
        try await send(.reaction(target: message, emoji: emoji, remove: remove), in: id)
    }

    /// Replaces the text of one of this account's messages.
    public func edit(_ message: MessageID, in id: ConversationID, text: String) async throws(MessengerError) {
        let original = try self.message(message, in: id)
        guard original.sender == username, !original.isRecalled else {
            throw .notAllowed("only the sender can edit a message, and not after recalling it")
        }
        let members = conversationsByID[id]?.members ?? []
        try await send(.edit(target: message, text: text, mentions: Self.mentions(in: text, members: members)), in: id)
    }

    /// Recalls one of this account's messages for everyone; only within the recall window.
    public func recall(_ message: MessageID, in id: ConversationID) async throws(MessengerError) {
        let original = try self.message(message, in: id)
        guard original.sender == username else { throw .notAllowed("only the sender can recall a message") }
        guard Date().timeIntervalSince(original.serverTime) <= options.recallWindow.seconds else {
            throw .notAllowed("the recall window (\(options.recallWindow)) has passed")
        }
        try await send(.recall(target: message), in: id)
    }

    /// Tells the other members that this account started or stopped typing.
    public func setTyping(_ active: Bool, in id: ConversationID) async throws(MessengerError) {
        try await send(.typing(active: active), in: id)
    }

    /// Marks the conversation read and sends read receipts for the unread messages.
    public func markRead(_ id: ConversationID) async throws(MessengerError) {
        guard var conversation = conversationsByID[id] else { throw .unknownConversation(id) }
        let unread = conversation.unreadCount
        guard unread > 0 else { return }
        let recent = try store.messages(in: id, limit: min(unread, 1000), before: nil).filter { !$0.isOutgoing }
        conversation.unreadCount = 0
        try store.write { db in try store.saveConversation(conversation, in: db) }
        conversationsByID[id] = conversation
        emit([.conversationUpdated(conversation)])
        if conversation.status == .active, !recent.isEmpty {
            try await send(.receipt(.read, targets: recent.map(\.id)), in: id)
        }
    }

    // MARK: Internals

    /// Encrypts `content` for the conversation, stores it with the group state in one
    /// transaction (and in the outbox), sends it, and applies it locally.
    @discardableResult
    func send(_ content: ChatContent, in id: ConversationID,
              messageID: MessageID = .random()) async throws(MessengerError) -> (ContentEnvelope, ChatMessage?) {
        try await exclusively { () async throws(MessengerError) in
            await drainInbox()
            var (group, conversation) = try activeGroup(id)
            let envelope = ContentEnvelope(id: messageID, content: content)
            let ciphertext = try Self.mls { () throws(MLSGroupError) in try group.encrypt(ContentCodec.encode(envelope)) }
            let recipients = MemberRoster(group: group).devices(except: deviceID)
            let clientMessageID = ClientMessageID.random()
            var message: ChatMessage?
            if let shown = content.shownMessage {
                message = ChatMessage(
                    id: envelope.id, conversationID: id, sender: username, senderDevice: deviceID, isOutgoing: true,
                    sentAt: envelope.sentAt, serverTime: envelope.sentAt, text: shown.text, replyTo: shown.replyTo,
                    mentions: shown.mentions, editedAt: nil, isRecalled: false, reactions: [:], status: .pending, readBy: [],
                    expiresAt: conversation.metadata.disappearingAfter.map { envelope.sentAt.addingTimeInterval($0.seconds) },
                    attachment: shown.attachment)
                conversation.updatedAt = envelope.sentAt
            }
            let entry = OutboxEntry(clientMessageID: clientMessageID.bytes, conversationID: id, messageID: message?.id,
                                    recipients: recipients, body: Self.transport(ciphertext), created: Date())
            try store.write { db in
                try store.saveGroup(group, in: db)
                try store.saveConversation(conversation, in: db)
                if let message { try store.saveMessage(message, in: db) }
                try store.saveOutboxEntry(entry, in: db)
            }
            groups[id] = group
            conversationsByID[id] = conversation
            // Alone in the group (no other device yet): nothing to send.
            let receipt = recipients.isEmpty
                ? SendReceipt(clientMessageID: clientMessageID, serverTime: Date(), duplicate: false)
                : try await deliver(entry)
            message = message.map { var sent = $0; sent.status = .sent; sent.serverTime = receipt.serverTime; return sent }
            try applyOwn(content, message: message, in: id, at: receipt.serverTime, outboxEntry: entry.clientMessageID)
            return (envelope, message)
        }
    }

    /// Sends an outbox entry and records the result.
    private func deliver(_ entry: OutboxEntry) async throws(MessengerError) -> SendReceipt {
        let receipt: SendReceipt
        do {
            receipt = try await client.send(to: entry.recipients, body: entry.body,
                                            clientMessageID: ClientMessageID(bytes: entry.clientMessageID))
        } catch {
            if !error.isRetryable, error != .cancelled, error != .closed {
                try markFailed(entry)
            }
            throw .client(error)
        }
        return receipt
    }

    private func markFailed(_ entry: OutboxEntry) throws(MessengerError) {
        try store.write { db in
            try store.deleteOutboxEntry(entry.clientMessageID, in: db)
            if let messageID = entry.messageID, var message = try store.message(messageID, in: entry.conversationID, db: db) {
                message.status = .failed
                try store.saveMessage(message, in: db)
            }
        }
    }

    /// What this device's own message does locally (it does not receive it back).
    private func applyOwn(_ content: ChatContent, message sent: ChatMessage?, in id: ConversationID,
                          at time: Date, outboxEntry: [UInt8]) throws(MessengerError) {
        var updated: ChatMessage?
        var event: MessengerEvent?
        func target(_ messageID: MessageID) throws(MessengerError) -> ChatMessage? {
            try store.read { db in try store.message(messageID, in: id, db: db) }
        }
        switch content {
        case .text, .attachment:
            updated = sent
            event = sent.map { .messageSent($0) }
        case .edit(let targetID, let text, let mentions):
            updated = try target(targetID)?.edited(text: text, mentions: mentions, by: username, at: time)
            event = updated.map { .messageEdited($0) }
        case .recall(let targetID):
            updated = try target(targetID)?.recalled(by: username, at: time, window: options.recallWindow)
            event = updated.map { .messageRecalled($0) }
        case .reaction(let targetID, let emoji, let remove):
            updated = try target(targetID)?.reacting(emoji, by: username, remove: remove)
            event = updated.map { .reactionsChanged($0) }
        default:
            break
        }
        try store.write { db in
            if let updated { try store.saveMessage(updated, in: db) }
            try store.deleteOutboxEntry(outboxEntry, in: db)
        }
        if let event { emit([event]) }
    }

    /// Sends what the outbox still holds (after a crash or a restart mid-send).
    func resendOutbox() async throws(MessengerError) {
        for entry in try store.outbox() {
            guard !entry.recipients.isEmpty else {
                try store.write { db in try store.deleteOutboxEntry(entry.clientMessageID, in: db) }
                continue
            }
            let receipt: SendReceipt
            do throws(MessengerError) {
                receipt = try await deliver(entry)
            } catch {
                logger.warning("cannot resend a message from the outbox", metadata: ["error": "\(error)"])
                continue
            }
            try store.write { db in
                try store.deleteOutboxEntry(entry.clientMessageID, in: db)
                if let messageID = entry.messageID, var message = try store.message(messageID, in: entry.conversationID, db: db),
                   message.status == .pending {
                    message.status = .sent
                    message.serverTime = receipt.serverTime
                    try store.saveMessage(message, in: db)
                }
            }
        }
    }

    /// The members named as `@name` in `text`.
    static func mentions(in text: String, members: [String]) -> [String] {
        var found: [String] = []
        for word in text.split(whereSeparator: { $0.isWhitespace }) where word.hasPrefix("@") {
            let name = String(word.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" })
                .lowercased()
            if members.contains(name), !found.contains(name) { found.append(name) }
        }
        return found
    }
}
