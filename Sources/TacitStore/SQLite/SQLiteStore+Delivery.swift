import Foundation
import GRDB

extension SQLiteStore {
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
        try await read(.pending) { db in
            // No stored id exceeds Int64.max, so such a device or cursor has nothing pending.
            guard limit > 0, let recipient = SQLiteInteger.storedID(device),
                  let after = SQLiteInteger.storedID(after) else { return [] }
            return try QueueQueries.pending(recipient: recipient, after: after, limit: limit, db)
        }
    }

    @discardableResult
    public func acknowledge(device: DeviceID, queueIDs: [QueueID]) async throws -> Int {
        // Acks share group commits with enqueues: an ack costs no fsync of its own.
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
        try await write(.expire) { db in
            let stored = SQLiteDate.stored(cutoff)
            let entries = try QueueQueries.expire(before: stored, db)
            try db.execute(sql: "DELETE FROM link_codes WHERE expires_at < ?", arguments: [stored])
            return entries
        }
    }

    public func queueDepth() async throws -> Int {
        try await read(.queueDepth) { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queue_entries") ?? 0
        }
    }
}
