import TacitStore
import Testing

@Suite("Store conformance: idempotent retries")
struct IdempotencyConformanceTests {
    @Test("a retry is recognized, returns the first entries and stores nothing", arguments: StoreBackend.all)
    func retry(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let carol = try await store.makeAccount("carol")
            let message = Fixtures.message(from: alice.id, to: [bob.id, carol.id], id: "once", body: [1, 2, 3])
            let first = try await store.enqueue(message)

            var retry = message
            retry.body = [9, 9, 9]
            retry.recipients = [bob.id]
            retry.receivedAt = Fixtures.date(60)
            let second = try await store.enqueue(retry)

            #expect(second.duplicate)
            #expect(second.entries == first.entries)
            #expect(try await store.queueDepth() == 2)
            let pending = try await store.pending(for: bob.id, after: 0, limit: 10)
            #expect(pending.count == 1)
            #expect(pending.first?.body == [1, 2, 3])
            #expect(pending.first?.receivedAt == message.receivedAt)
        }
    }

    @Test("a retry after every recipient acknowledged is still a duplicate", arguments: StoreBackend.all)
    func retryAfterAck(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let message = Fixtures.message(from: alice.id, to: [bob.id], id: "late retry")
            let first = try await store.enqueue(message)
            #expect(try await store.acknowledge(device: bob.id, queueIDs: Array(first.entries.values)) == 1)

            let retry = try await store.enqueue(message)
            #expect(retry.duplicate)
            #expect(retry.entries.isEmpty)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).isEmpty)
        }
    }

    @Test("a retry after some recipients acknowledged returns the entries still queued",
          arguments: StoreBackend.all)
    func retryAfterPartialAck(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let carol = try await store.makeAccount("carol")
            let message = Fixtures.message(from: alice.id, to: [bob.id, carol.id], id: "half")
            let first = try await store.enqueue(message)
            try await store.acknowledge(device: bob.id, queueIDs: [try #require(first.entries[bob.id])])

            let retry = try await store.enqueue(message)
            #expect(retry.duplicate)
            #expect(retry.entries == [carol.id: try #require(first.entries[carol.id])])
            #expect(try await store.pending(for: carol.id, after: 0, limit: 10).count == 1)
        }
    }

    @Test("the same client id from another sender device is another message", arguments: StoreBackend.all)
    func idsAreScopedBySender(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let carol = try await store.makeAccount("carol")
            let bob = try await store.makeAccount("bob")
            let fromAlice = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "x"))
            let fromCarol = try await store.enqueue(Fixtures.message(from: carol.id, to: [bob.id], id: "x"))
            #expect(!fromAlice.duplicate && !fromCarol.duplicate)
            #expect(fromAlice.entries[bob.id] != fromCarol.entries[bob.id])
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).map(\.sender) == [alice.id, carol.id])
        }
    }

    @Test("concurrent copies of one send store it once", arguments: StoreBackend.all)
    func concurrentRetries(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let message = Fixtures.message(from: alice.id, to: [bob.id], id: "eager")
            let results = try await withThrowingTaskGroup(of: EnqueueResult.self) { group in
                for _ in 0..<10 { group.addTask { try await store.enqueue(message) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { !$0.duplicate }.count == 1)
            #expect(Set(results.map(\.entries)).count == 1)
            #expect(try await store.queueDepth() == 1)
        }
    }
}
