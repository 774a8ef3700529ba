import Foundation
import GRDB

/// SQL for device queues and the message bodies they point at.
enum QueueQueries {
    /// SQLite allows 32,766 parameters per statement; stay far below it.
    static let idsPerStatement = 500

    static func pending(recipient: Int64, after: Int64, limit: Int, _ db: Database) throws -> [QueuedMessage] {
        // Cached: compiled once per connection, not on every delivery.
        let statement = try db.cachedStatement(sql: """
            SELECT q.queue_id, m.sender_device_id, a.username AS sender_username,
                   m.client_message_id, CASE WHEN q.part = 0 THEN m.body ELSE p.body END AS body,
                   m.received_at
            FROM queue_entries q
            JOIN messages m ON m.id = q.message_id
            LEFT JOIN message_parts p ON p.message_id = q.message_id AND p.part = q.part
            JOIN devices d ON d.id = m.sender_device_id
            JOIN accounts a ON a.id = d.account_id
            WHERE q.recipient_device_id = ? AND q.queue_id > ?
            ORDER BY q.queue_id
            LIMIT ?
            """)
        return try Row.fetchAll(statement, arguments: [recipient, after, limit]).map { row in
            QueuedMessage(queueID: SQLiteInteger.id(try row.decode(forColumn: "queue_id")),
                          recipient: SQLiteInteger.id(recipient),
                          sender: SQLiteInteger.id(try row.decode(forColumn: "sender_device_id")),
                          senderUsername: try row.decode(forColumn: "sender_username"),
                          clientMessageID: SQLiteBlob.bytes(try row.decode(forColumn: "client_message_id")),
                          body: SQLiteBlob.bytes(try row.decode(forColumn: "body")),
                          receivedAt: SQLiteDate.date(try row.decode(forColumn: "received_at")))
        }
    }

    /// Deletes the listed entries of `recipient`'s queue (others' ids match nothing), leaving
    /// the bodies to ``releaseBodies(of:_:)``; returns how many went and whose messages they were.
    static func deleteEntries(recipient: Int64, queueIDs: [Int64],
                              _ db: Database) throws -> (count: Int, messages: Set<Int64>) {
        var deleted = 0
        var messages = Set<Int64>()
        var start = 0
        while start < queueIDs.count {
            let chunk = Array(queueIDs[start..<min(start + idsPerStatement, queueIDs.count)])
            start += chunk.count
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            // Cached per id count (at most `idsPerStatement` shapes): most acknowledgements
            // carry one id or a window's worth, so the same few statements serve them all.
            let statement = try db.cachedStatement(sql: """
                DELETE FROM queue_entries
                WHERE recipient_device_id = ? AND queue_id IN (\(placeholders))
                RETURNING message_id
                """)
            let released = try Int64.fetchAll(statement, arguments: StatementArguments([recipient] + chunk))
            deleted += released.count
            messages.formUnion(released)
        }
        return (deleted, messages)
    }

    /// Empties a device's queue (when it is revoked).
    static func dropQueue(of recipient: Int64, _ db: Database) throws {
        let released = try Int64.fetchAll(db, sql: """
            DELETE FROM queue_entries WHERE recipient_device_id = ? RETURNING message_id
            """, arguments: [recipient])
        try releaseBodies(of: Set(released), db)
    }

    /// Drops each body (a message's own, or one of its dispatches) that no queue entry
    /// points at any more. The message row stays as the idempotency record until it expires.
    static func releaseBodies(of messages: Set<Int64>, _ db: Database) throws {
        let releaseBody = try db.cachedStatement(sql: """
            UPDATE messages SET body = NULL
            WHERE id = ? AND body IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM queue_entries WHERE message_id = ? AND part = 0)
            """)
        let releaseParts = try db.cachedStatement(sql: """
            DELETE FROM message_parts
            WHERE message_id = ?
              AND NOT EXISTS (SELECT 1 FROM queue_entries q
                              WHERE q.message_id = message_parts.message_id AND q.part = message_parts.part)
            """)
        for message in messages {
            try releaseBody.execute(arguments: [message, message])
            try releaseParts.execute(arguments: [message])
        }
    }

    /// The entries still queued for a stored message, by recipient.
    static func entries(ofMessage message: Int64, _ db: Database) throws -> [DeviceID: QueueID] {
        var entries: [DeviceID: QueueID] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT recipient_device_id, queue_id FROM queue_entries WHERE message_id = ?
            """, arguments: [message])
        for row in rows {
            let recipient: Int64 = try row.decode(forColumn: "recipient_device_id")
            let queueID: Int64 = try row.decode(forColumn: "queue_id")
            entries[SQLiteInteger.id(recipient)] = SQLiteInteger.id(queueID)
        }
        return entries
    }

    /// Deletes everything received before `cutoff`: queue entries, bodies and idempotency
    /// records. Returns how many queue entries went.
    static func expire(before cutoff: Double, _ db: Database) throws -> Int {
        try db.execute(sql: """
            DELETE FROM queue_entries
            WHERE message_id IN (SELECT id FROM messages WHERE received_at < ?)
            """, arguments: [cutoff])
        let entries = db.changesCount
        try db.execute(sql: "DELETE FROM messages WHERE received_at < ?", arguments: [cutoff])
        return entries
    }
}
