import PostgresNIO

extension PostgresStore {
    /// What the database holds, and how group commit has batched writes since the store opened.
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
            guard let row = try await db.rows("""
                SELECT (SELECT count(*) FROM messages),
                       (SELECT count(*) FROM messages WHERE body IS NOT NULL),
                       (SELECT coalesce(sum(length(body)), 0)::bigint FROM messages),
                       (SELECT count(*) FROM queue_entries)
                """, logger: logger).first else { throw StoreError.unavailable("the statistics query returned no row") }
            let (messages, bodies, bodyBytes, entries) = try row.decode((Int64, Int64, Int64, Int64).self)
            return Statistics(messages: Int(messages), storedBodies: Int(bodies), storedBodyBytes: Int(bodyBytes),
                              queueEntries: Int(entries), committedBatches: batches.batches,
                              batchedWrites: batches.writes, largestBatch: batches.largestBatch)
        }
    }
}
