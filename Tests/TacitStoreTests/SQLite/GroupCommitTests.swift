import Foundation
import TacitStore
import Testing

@Suite("SQLite store: group commit")
struct GroupCommitTests {
    @Test("concurrent enqueues share transactions")
    func concurrentEnqueuesAreBatched() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        let senders = try await store.makeDevices(40, prefix: "sender")
        let bob = try await store.makeAccount("bob")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in senders {
                group.addTask {
                    for sequence in 0..<5 {
                        _ = try await store.enqueue(Fixtures.message(from: sender.id, to: [bob.id], id: "\(sequence)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let statistics = try await store.statistics()
        #expect(statistics.batchedWrites == 200)
        #expect(statistics.largestBatch > 1)
        #expect(statistics.committedBatches < 200)
        #expect(statistics.queueEntries == 200)
        try await store.close()
    }

    @Test("a batch never carries more than the configured number of writes")
    func batchSizeIsBounded() async throws {
        var factory = SQLiteStoreFactory()
        factory.configuration.maxBatchSize = 4
        let store = try factory.makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        let alice = try await store.makeAccount("alice")
        let bob = try await store.makeAccount("bob")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask {
                    _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "m\(index)"))
                }
            }
            try await group.waitForAll()
        }
        let statistics = try await store.statistics()
        #expect(statistics.batchedWrites == 100)
        #expect(statistics.largestBatch <= 4)
        #expect(statistics.committedBatches >= 25)
        #expect(try await store.queueDepth() == 100)
        try await store.close()
    }

    @Test("a lone enqueue is committed at once, in a batch of its own")
    func loneEnqueue() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        let alice = try await store.makeAccount("alice")
        _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [alice.id], id: "solo"))
        let statistics = try await store.statistics()
        #expect(statistics.committedBatches == 1)
        #expect(statistics.largestBatch == 1)
        try await store.close()
    }
}
