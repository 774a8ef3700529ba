import TacitStore

/// The counters both stores report, for conformance tests about what is kept.
struct StoreCounts: Sendable, Equatable {
    var messages: Int
    var storedBodies: Int
    var queueEntries: Int
    var largestBatch: Int
}

extension TacitStore {
    /// The store's own statistics as ``StoreCounts`` (each backend has its own type for them).
    func counts() async throws -> StoreCounts {
        switch self {
        case let store as SQLiteStore:
            let s = try await store.statistics()
            return StoreCounts(messages: s.messages, storedBodies: s.storedBodies, queueEntries: s.queueEntries,
                               largestBatch: s.largestBatch)
        case let store as PostgresStore:
            let s = try await store.statistics()
            return StoreCounts(messages: s.messages, storedBodies: s.storedBodies, queueEntries: s.queueEntries,
                               largestBatch: s.largestBatch)
        default:
            throw StoreError.unavailable("no statistics for \(type(of: self))")
        }
    }
}
