import Crypto
import Foundation
import GRDB
import TacitMLS

/// The messenger's rows in `client.sqlite`: conversations, MLS group states, messages,
/// contacts, KeyPackages and the outbox, sealed with ``StoreSealer``.
///
/// Changes that belong together (an MLS state and the messages it decrypted) are written in
/// one transaction through ``write(_:)``.
struct MessengerStore: Sendable {
    let database: DatabaseQueue
    let sealer: StoreSealer

    init(local: LocalStore, key: some SymmetricKeyProvider) throws(MessengerError) {
        database = local.database
        sealer = StoreSealer(key: try key.symmetricKey(home: local.home))
        try checkKey()
    }

    /// Fails with a clear error when the key (or passphrase) is not the one the store was made with.
    private func checkKey() throws(MessengerError) {
        let probe = "tacit store key check"
        if let sealed: Data = try read({ db in try Data.fetchOne(db, sql: "SELECT value FROM messenger_meta WHERE key = 'key-check'") }) {
            guard (try? sealer.open(sealed, context: "key-check")) == Array(probe.utf8) else {
                throw .store("the store key does not match (wrong passphrase or key file)")
            }
        } else {
            let sealed = try sealer.seal(Array(probe.utf8), context: "key-check")
            try write { db in
                try db.execute(sql: "INSERT INTO messenger_meta (key, value) VALUES ('key-check', ?)", arguments: [sealed])
            }
        }
    }

    // MARK: Transactions

    func write<T>(_ body: (Database) throws -> T) throws(MessengerError) -> T {
        do {
            return try database.write(body)
        } catch let error as MessengerError {
            throw error
        } catch {
            throw .store("cannot write: \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(MessengerError) -> T {
        do {
            return try database.read(body)
        } catch let error as MessengerError {
            throw error
        } catch {
            throw .store("cannot read: \(error)")
        }
    }

    // MARK: Conversations

    func saveConversation(_ conversation: Conversation, in db: Database) throws {
        let sealed = try sealer.sealJSON(conversation, context: "conversation:\(conversation.id)")
        try db.execute(sql: """
            INSERT INTO conversation (id, status, updated_ms, sealed) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_ms = excluded.updated_ms, sealed = excluded.sealed
            """, arguments: [Data(conversation.id.bytes), conversation.status.rawValue,
                             Int64(conversation.updatedAt.millisecondsSince1970), sealed])
    }

    func conversations() throws(MessengerError) -> [Conversation] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT id, sealed FROM conversation ORDER BY updated_ms DESC") }
        var result: [Conversation] = []
        for row in rows {
            let id = ConversationID(bytes: Array(row["id"] as Data? ?? Data()))
            guard let sealed = row["sealed"] as Data? else { continue }
            result.append(try sealer.openJSON(Conversation.self, sealed, context: "conversation:\(id)"))
        }
        return result
    }

    // MARK: MLS group states

    func saveGroup(_ group: MLSGroup, in db: Database) throws {
        let id = ConversationID(bytes: group.groupID)
        let sealed = try sealer.seal(group.serializedState(), context: "mls:\(id)")
        try db.execute(sql: "INSERT OR REPLACE INTO mls_group (id, sealed) VALUES (?, ?)",
                       arguments: [Data(group.groupID), sealed])
    }

    func deleteGroup(_ id: ConversationID, in db: Database) throws {
        try db.execute(sql: "DELETE FROM mls_group WHERE id = ?", arguments: [Data(id.bytes)])
    }

    func groupStates() throws(MessengerError) -> [(ConversationID, [UInt8])] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT id, sealed FROM mls_group") }
        var result: [(ConversationID, [UInt8])] = []
        for row in rows {
            let id = ConversationID(bytes: Array(row["id"] as Data? ?? Data()))
            guard let sealed = row["sealed"] as Data? else { continue }
            result.append((id, try sealer.open(sealed, context: "mls:\(id)")))
        }
        return result
    }

    // MARK: Messages

    func saveMessage(_ message: ChatMessage, in db: Database) throws {
        let sealed = try sealer.sealJSON(message, context: "message:\(message.conversationID):\(message.id)")
        try db.execute(sql: """
            INSERT OR REPLACE INTO chat_message (conversation_id, id, server_ms, expires_ms, sealed) VALUES (?, ?, ?, ?, ?)
            """, arguments: [Data(message.conversationID.bytes), Data(message.id.bytes),
                             Int64(message.serverTime.millisecondsSince1970),
                             message.expiresAt.map { Int64($0.millisecondsSince1970) }, sealed])
    }

    func message(_ id: MessageID, in conversation: ConversationID, db: Database) throws -> ChatMessage? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM chat_message WHERE conversation_id = ? AND id = ?",
                                             arguments: [Data(conversation.bytes), Data(id.bytes)]) else { return nil }
        return try sealer.openJSON(ChatMessage.self, sealed, context: "message:\(conversation):\(id)")
    }

    func hasMessage(_ id: MessageID, in conversation: ConversationID, db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM chat_message WHERE conversation_id = ? AND id = ?)",
                          arguments: [Data(conversation.bytes), Data(id.bytes)]) ?? false
    }

    /// Up to `limit` messages before `before` (newest first from the database), returned oldest first.
    func messages(in conversation: ConversationID, limit: Int, before: Date?) throws(MessengerError) -> [ChatMessage] {
        let beforeMs = Int64(before?.millisecondsSince1970 ?? UInt64(Int64.max))
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, sealed FROM chat_message WHERE conversation_id = ? AND server_ms < ?
                ORDER BY server_ms DESC, id DESC LIMIT ?
                """, arguments: [Data(conversation.bytes), beforeMs, limit])
        }
        var result: [ChatMessage] = []
        for row in rows.reversed() {
            let id = MessageID(bytes: Array(row["id"] as Data? ?? Data()))
            guard let sealed = row["sealed"] as Data? else { continue }
            result.append(try sealer.openJSON(ChatMessage.self, sealed, context: "message:\(conversation):\(id)"))
        }
        return result
    }

    /// Deletes messages whose disappearing timer ran out; returns what was deleted.
    func deleteExpiredMessages(now: Date) throws(MessengerError) -> [(ConversationID, MessageID)] {
        try write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT conversation_id, id FROM chat_message WHERE expires_ms <= ?",
                                        arguments: [Int64(now.millisecondsSince1970)])
            try db.execute(sql: "DELETE FROM chat_message WHERE expires_ms <= ?", arguments: [Int64(now.millisecondsSince1970)])
            return rows.map { row in
                (ConversationID(bytes: Array(row["conversation_id"] as Data? ?? Data())),
                 MessageID(bytes: Array(row["id"] as Data? ?? Data())))
            }
        }
    }

    // MARK: Contacts

    func saveContact(_ contact: Contact, in db: Database) throws {
        let lookup = sealer.lookupKey(contact.username, purpose: "contact")
        let sealed = try sealer.sealJSON(contact, context: "contact:\(lookup.hexString)")
        try db.execute(sql: "INSERT OR REPLACE INTO contact (lookup, sealed) VALUES (?, ?)", arguments: [lookup, sealed])
    }

    func contact(_ username: String, db: Database) throws -> Contact? {
        let lookup = sealer.lookupKey(username, purpose: "contact")
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM contact WHERE lookup = ?", arguments: [lookup]) else {
            return nil
        }
        return try sealer.openJSON(Contact.self, sealed, context: "contact:\(lookup.hexString)")
    }

    func contacts() throws(MessengerError) -> [Contact] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT lookup, sealed FROM contact") }
        var result: [Contact] = []
        for row in rows {
            guard let lookup = row["lookup"] as Data?, let sealed = row["sealed"] as Data? else { continue }
            result.append(try sealer.openJSON(Contact.self, sealed, context: "contact:\(lookup.hexString)"))
        }
        return result.sorted { $0.username < $1.username }
    }

    // MARK: KeyPackages

    func saveKeyPackages(_ bundles: [KeyPackageBundle], lastResort: Bool, suite: any CipherSuite,
                         now: Date) throws(MessengerError) {
        try write { db in
            for bundle in bundles {
                let ref = bundle.keyPackage.reference(suite: suite).bytes
                let sealed = try sealer.seal(bundle.mlsEncoded, context: "key-package:\(ref.hexString)")
                try db.execute(sql: "INSERT OR REPLACE INTO key_package (ref, last_resort, created_ms, sealed) VALUES (?, ?, ?, ?)",
                               arguments: [Data(ref), lastResort, Int64(now.millisecondsSince1970), sealed])
            }
        }
    }

    /// The KeyPackage with reference `ref`, and whether it is a last-resort one.
    func keyPackage(ref: [UInt8]) throws(MessengerError) -> (bundle: KeyPackageBundle, lastResort: Bool)? {
        let row = try read { db in
            try Row.fetchOne(db, sql: "SELECT last_resort, sealed FROM key_package WHERE ref = ?", arguments: [Data(ref)])
        }
        guard let row, let sealed = row["sealed"] as Data? else { return nil }
        let bytes = try sealer.open(sealed, context: "key-package:\(ref.hexString)")
        do {
            return (try KeyPackageBundle(mlsEncoded: bytes), (row["last_resort"] as Bool?) ?? false)
        } catch {
            throw .store("a stored KeyPackage does not decode")
        }
    }

    func deleteKeyPackage(ref: [UInt8], in db: Database) throws {
        try db.execute(sql: "DELETE FROM key_package WHERE ref = ?", arguments: [Data(ref)])
    }

    // MARK: Outbox

    func saveOutboxEntry(_ entry: OutboxEntry, in db: Database) throws {
        let sealed = try sealer.sealJSON(entry, context: "outbox:\(entry.clientMessageID.hexString)")
        try db.execute(sql: "INSERT OR REPLACE INTO outbox (id, created_ms, sealed) VALUES (?, ?, ?)",
                       arguments: [Data(entry.clientMessageID), Int64(entry.created.millisecondsSince1970), sealed])
    }

    func deleteOutboxEntry(_ clientMessageID: [UInt8], in db: Database) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [Data(clientMessageID)])
    }

    func outbox() throws(MessengerError) -> [OutboxEntry] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT id, sealed FROM outbox ORDER BY created_ms") }
        var result: [OutboxEntry] = []
        for row in rows {
            guard let id = row["id"] as Data?, let sealed = row["sealed"] as Data? else { continue }
            result.append(try sealer.openJSON(OutboxEntry.self, sealed, context: "outbox:\(Array(id).hexString)"))
        }
        return result
    }

    // MARK: Pending attachment uploads

    func pendingUpload(_ key: String) throws(MessengerError) -> PendingAttachmentUpload? {
        let lookup = sealer.lookupKey(key, purpose: "pending-upload")
        guard let sealed = try read({ db in
            try Data.fetchOne(db, sql: "SELECT sealed FROM pending_upload WHERE lookup = ?", arguments: [lookup])
        }) else { return nil }
        return try sealer.openJSON(PendingAttachmentUpload.self, sealed, context: "pending-upload:\(lookup.hexString)")
    }

    func savePendingUpload(_ upload: PendingAttachmentUpload, key: String) throws(MessengerError) {
        let lookup = sealer.lookupKey(key, purpose: "pending-upload")
        let sealed = try sealer.sealJSON(upload, context: "pending-upload:\(lookup.hexString)")
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO pending_upload (lookup, created_ms, sealed) VALUES (?, ?, ?)",
                           arguments: [lookup, Int64(upload.created.millisecondsSince1970), sealed])
        }
    }

    func deletePendingUpload(_ key: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM pending_upload WHERE lookup = ?",
                       arguments: [sealer.lookupKey(key, purpose: "pending-upload")])
    }

    // MARK: Flags

    func flag(_ key: String) throws(MessengerError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM messenger_meta WHERE key = ?)", arguments: [key]) ?? false
        }
    }

    func setFlag(_ key: String) throws(MessengerError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO messenger_meta (key, value) VALUES (?, x'01')", arguments: [key])
        }
    }

    /// A small sealed value (invite tokens, this account's profile).
    func sealedValue<Value: Codable>(_ type: Value.Type, key: String) throws(MessengerError) -> Value? {
        guard let sealed = try read({ db in
            try Data.fetchOne(db, sql: "SELECT value FROM messenger_meta WHERE key = ?", arguments: ["sealed:" + key])
        }) else { return nil }
        return try sealer.openJSON(type, sealed, context: "meta:\(key)")
    }

    func removeSealedValue(key: String) throws(MessengerError) {
        try write { db in try db.execute(sql: "DELETE FROM messenger_meta WHERE key = ?", arguments: ["sealed:" + key]) }
    }

    func setSealedValue<Value: Codable>(_ value: Value, key: String) throws(MessengerError) {
        let sealed = try sealer.sealJSON(value, context: "meta:\(key)")
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO messenger_meta (key, value) VALUES (?, ?)",
                           arguments: ["sealed:" + key, sealed])
        }
    }
}

/// A message encrypted for a conversation and waiting for the server to accept it.
struct OutboxEntry: Sendable, Codable {
    var clientMessageID: [UInt8]
    var conversationID: ConversationID
    var messageID: MessageID?
    var recipients: [DeviceID]
    var body: [UInt8]
    var created: Date
}

/// Anything that yields the store's sealing key (``StoreKey``, or a fixed key in tests).
protocol SymmetricKeyProvider {
    func symmetricKey(home: ClientHome) throws(MessengerError) -> SymmetricKey
}

extension StoreKey: SymmetricKeyProvider {}
