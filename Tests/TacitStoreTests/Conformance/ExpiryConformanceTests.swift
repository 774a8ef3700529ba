import TacitStore
import Testing

@Suite("Store conformance: expiry")
struct ExpiryConformanceTests {
    @Test("expiry deletes what was received before the cutoff, and only that", arguments: StoreBackend.all)
    func expireEntries(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let carol = try await store.makeAccount("carol")
            let old = Fixtures.message(from: alice.id, to: [bob.id, carol.id], id: "old", at: 0)
            let recent = Fixtures.message(from: alice.id, to: [bob.id], id: "recent", at: 100)
            _ = try await store.enqueue(old)
            let recentResult = try await store.enqueue(recent)

            #expect(try await store.expire(before: Fixtures.date(0)) == 0)
            #expect(try await store.expire(before: Fixtures.date(50)) == 2)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).map(\.queueID)
                    == [try #require(recentResult.entries[bob.id])])
            #expect(try await store.pending(for: carol.id, after: 0, limit: 10).isEmpty)
            #expect(try await store.queueDepth() == 1)

            // The expired message's idempotency record went too; the recent one's stays.
            #expect(try await store.enqueue(old).duplicate == false)
            #expect(try await store.enqueue(recent).duplicate)
        }
    }

    @Test("expiry forgets acknowledged messages' idempotency records", arguments: StoreBackend.all)
    func expireIdempotencyRecords(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let message = Fixtures.message(from: alice.id, to: [bob.id], id: "acked", at: 0)
            let first = try await store.enqueue(message)
            try await store.acknowledge(device: bob.id, queueIDs: Array(first.entries.values))
            #expect(try await store.enqueue(message).duplicate)

            #expect(try await store.expire(before: Fixtures.date(10)) == 0)
            let afterExpiry = try await store.enqueue(message)
            #expect(!afterExpiry.duplicate)
            #expect(afterExpiry.entries.count == 1)
            #expect(try await store.queueDepth() == 1)
        }
    }
}
