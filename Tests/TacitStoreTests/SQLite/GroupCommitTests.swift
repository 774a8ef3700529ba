import Foundation
import TacitStore
import Testing

@Suite("SQLite store: group commit")
struct GroupCommitTests {
    @Test("acknowledgements sharing batches release exactly the bodies nobody waits for any more")
    func batchedAcknowledgementsReleaseFinishedBodies() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        let alice = try await store.makeAccount("alice")
        let members = try await store.makeDevices(50, prefix: "member")
        var sent: [EnqueueResult] = []
        for index in 0..<20 {
            sent.append(try await store.enqueue(Fixtures.message(from: alice.id, to: members.map(\.id), id: "g\(index)")))
        }
        // Every member acknowledges every message at once, except member 0 the first message.
        let results = sent
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for (memberIndex, member) in members.enumerated() {
                for (messageIndex, result) in results.enumerated() where !(memberIndex == 0 && messageIndex == 0) {
                    let entry = try #require(result.entries[member.id])
                    group.addTask { try await store.acknowledge(device: member.id, queueIDs: [entry]) }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts.count == 999)
        #expect(counts.allSatisfy { $0 == 1 })
        var statistics = try await store.statistics()
        #expect(statistics.largestBatch > 1)
        #expect(statistics.queueEntries == 1)
        #expect(statistics.storedBodies == 1)
        #expect(try await store.allPending(for: members[0].id).map(\.body) == [Array("body of g0".utf8)])
        let last = try #require(sent[0].entries[members[0].id])
        #expect(try await store.acknowledge(device: members[0].id, queueIDs: [last]) == 1)
        statistics = try await store.statistics()
        #expect(statistics.queueEntries == 0)
        #expect(statistics.storedBodies == 0)
        #expect(statistics.messages == 20)
        try await store.close()
    }

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
