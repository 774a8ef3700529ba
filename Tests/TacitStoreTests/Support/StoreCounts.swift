/// The counters both stores report, for conformance tests about what is kept (each backend
/// has its own statistics type; its ``StoreFactory`` reads them).
struct StoreCounts: Sendable, Equatable {
    var messages: Int
    var storedBodies: Int
    var queueEntries: Int
    var largestBatch: Int
}
