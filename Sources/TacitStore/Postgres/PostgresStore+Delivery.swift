import Foundation
import PostgresNIO

extension PostgresStore {
    /// Stores `message` in the next group commit and returns once that committed.
    ///
    /// Besides the protocol's failures, an unknown or revoked *sender* fails with
    /// ``StoreError/notFound`` (unless it is a retry of a message stored before).
    public func enqueue(_ message: OutgoingMessage) async throws -> EnqueueResult {
        guard case .enqueued(let result) = try await batched(.enqueue, .enqueue(message)) else {
            throw StoreError.unavailable("group commit answered an enqueue with another outcome")
        }
        return result
    }

    public func pending(for device: DeviceID, after: QueueID, limit: Int) async throws -> [QueuedMessage] {
        try await run(.pending) {
            // No stored id exceeds Int64.max, so such a device or cursor has nothing pending.
            guard limit > 0, let recipient = PostgresValue.storedID(device),
                  let after = PostgresValue.storedID(after) else { return [] }
            let statement = PostgresPendingStatement(recipient: recipient, after: after, limit: Int64(limit))
            let logger = self.logger
            return try await client.withOpenConnection { try await $0.rows(statement, logger: logger) }.map { row in
                let (queueID, sender, senderUsername, clientMessageID, body, receivedAt) = row
                return QueuedMessage(queueID: PostgresValue.id(queueID), recipient: device,
                                     sender: PostgresValue.id(sender), senderUsername: senderUsername,
                                     clientMessageID: PostgresValue.bytes(stored: clientMessageID),
                                     body: PostgresValue.bytes(stored: body),
                                     receivedAt: PostgresValue.date(stored: receivedAt))
            }
        }
    }

    @discardableResult
    public func acknowledge(device: DeviceID, queueIDs: [QueueID]) async throws -> Int {
        // Acks share group commits with enqueues: an ack costs no commit of its own.
        guard !queueIDs.isEmpty else { return 0 }
        let outcome = try await batched(.acknowledge, .acknowledge(device: device, queueIDs: queueIDs))
        guard case .acknowledged(let count) = outcome else {
            throw StoreError.unavailable("group commit answered an acknowledgement with another outcome")
        }
        return count
    }

    /// Deletes queue entries and idempotency records of messages received before `cutoff`,
    /// and link codes that expired before it. Returns the number of queue entries deleted.
    @discardableResult
    public func expire(before cutoff: Date) async throws -> Int {
        let cutoff = PostgresValue.date(cutoff)
        return try await transaction(.expire) { db in
            let entries = try await db.rows("""
                WITH gone AS (
                    DELETE FROM queue_entries
                    WHERE message_id IN (SELECT id FROM messages WHERE received_at < \(cutoff))
                    RETURNING 1
                )
                SELECT count(*) FROM gone
                """, logger: logger).first?.decode(Int64.self) ?? 0
            _ = try await db.rows("DELETE FROM messages WHERE received_at < \(cutoff)", logger: logger)
            _ = try await db.rows("DELETE FROM link_codes WHERE expires_at < \(cutoff)", logger: logger)
            return Int(entries)
        }
    }

    public func queueDepth() async throws -> Int {
        try await read(.queueDepth) { db in
            Int(try await db.rows("SELECT count(*) FROM queue_entries", logger: logger).first?.decode(Int64.self) ?? 0)
        }
    }
}
