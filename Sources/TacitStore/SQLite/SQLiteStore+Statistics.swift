import GRDB

extension SQLiteStore {
    /// What the database holds, and how group commit has batched writes since it opened.
    public struct Statistics: Sendable, Equatable {
        /// Stored messages, with or without body (each one is an idempotency record).
        public var messages: Int
        /// Messages whose body is still stored (some recipient has not acknowledged).
        public var storedBodies: Int
        /// Total size of the stored bodies.
        public var storedBodyBytes: Int
        public var queueEntries: Int
        /// Group-commit transactions since the store opened.
        public var committedBatches: Int
        /// Enqueues and acknowledgements carried by those transactions.
        public var batchedWrites: Int
        public var largestBatch: Int
    }

    /// A snapshot of ``Statistics`` (for diagnostics and tests; it scans the tables).
    public func statistics() async throws -> Statistics {
        let batches = await writer.statistics
        return try await read(.diagnostics) { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM messages) AS messages,
                       (SELECT COUNT(*) FROM messages WHERE body IS NOT NULL) AS bodies,
                       (SELECT COALESCE(SUM(LENGTH(body)), 0) FROM messages) AS body_bytes,
                       (SELECT COUNT(*) FROM queue_entries) AS entries
                """)
            return Statistics(messages: try row?.decode(forColumn: "messages") ?? 0,
                              storedBodies: try row?.decode(forColumn: "bodies") ?? 0,
                              storedBodyBytes: try row?.decode(forColumn: "body_bytes") ?? 0,
                              queueEntries: try row?.decode(forColumn: "entries") ?? 0,
                              committedBatches: batches.batches,
                              batchedWrites: batches.writes,
                              largestBatch: batches.largestBatch)
        }
    }
}
