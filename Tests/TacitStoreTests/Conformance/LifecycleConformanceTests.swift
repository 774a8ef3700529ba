import TacitStore
import Testing

@Suite("Store conformance: persistence and closing")
struct LifecycleConformanceTests {
    @Test("everything survives closing and reopening the storage", arguments: StoreBackend.all)
    func persistence(backend: StoreBackend) async throws {
        let store = try await backend.factory.makeStore()
        let alice = try await store.makeAccount("alice")
        let bob = try await store.makeAccount("bob")
        let list = try await store.deviceList(username: "bob")
        let code = LinkCode(code: "kept", username: "alice", creatorDevice: alice.id, expiresAt: Fixtures.date(900))
        try await store.createLinkCode(code)
        let first = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "1"))
        let second = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "2"))
        let pendingBefore = try await store.pending(for: bob.id, after: 0, limit: 10)
        // Acknowledge the newest entry: queue ids must not be handed out again after reopening.
        try await store.acknowledge(device: bob.id, queueIDs: [try #require(second.entries[bob.id])])
        try await store.close()

        let reopened = try await backend.factory.reopen(store)
        do {
            #expect(try await reopened.device(id: alice.id) == alice)
            #expect(try await reopened.device(identityKey: bob.identityKey) == bob)
            #expect(try await reopened.deviceList(username: "bob") == list)
            #expect(try await reopened.linkCode("kept", now: Fixtures.date(0)) == code)
            #expect(try await reopened.pending(for: bob.id, after: 0, limit: 10) == Array(pendingBefore.prefix(1)))
            #expect(try await reopened.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "1")).duplicate)
            #expect(try await reopened.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "2")).duplicate)

            let third = try await reopened.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "3"))
            #expect(try #require(third.entries[bob.id]) > (try #require(second.entries[bob.id])))
            #expect(try #require(first.entries[bob.id]) < (try #require(second.entries[bob.id])))
            await #expect(throws: StoreError.usernameTaken) { try await reopened.makeAccount("alice") }
        } catch {
            await backend.factory.destroy(reopened)
            throw error
        }
        await backend.factory.destroy(reopened)
    }

    @Test("every operation fails with .closed after close", arguments: StoreBackend.all)
    func closedStore(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            try await store.close()
            try await store.close() // closing twice is harmless

            let message = Fixtures.message(from: alice.id, to: [alice.id], id: "x")
            await #expect(throws: StoreError.closed) { try await store.makeAccount("bob") }
            await #expect(throws: StoreError.closed) { try await store.device(id: alice.id) }
            await #expect(throws: StoreError.closed) { try await store.device(identityKey: alice.identityKey) }
            await #expect(throws: StoreError.closed) { try await store.activeDevices(username: "alice") }
            await #expect(throws: StoreError.closed) { try await store.deviceList(username: "alice") }
            await #expect(throws: StoreError.closed) {
                try await store.addDevice(username: "alice", device: Fixtures.newDevice(),
                                          deviceList: Fixtures.deviceList(version: 2), replacingVersion: 1)
            }
            await #expect(throws: StoreError.closed) {
                try await store.revokeDevice(id: alice.id, deviceList: Fixtures.deviceList(version: 2),
                                             replacingVersion: 1)
            }
            await #expect(throws: StoreError.closed) {
                try await store.createLinkCode(LinkCode(code: "c", username: "alice", creatorDevice: alice.id,
                                                        expiresAt: Fixtures.date(10)))
            }
            await #expect(throws: StoreError.closed) {
                try await store.claimLinkCode("c", deviceKey: [1], deviceName: "n", now: Fixtures.date(0))
            }
            await #expect(throws: StoreError.closed) { try await store.linkCode("c", now: Fixtures.date(0)) }
            await #expect(throws: StoreError.closed) { try await store.deleteLinkCode("c") }
            await #expect(throws: StoreError.closed) { try await store.enqueue(message) }
            await #expect(throws: StoreError.closed) { try await store.pending(for: alice.id, after: 0, limit: 1) }
            await #expect(throws: StoreError.closed) { try await store.acknowledge(device: alice.id, queueIDs: [1]) }
            await #expect(throws: StoreError.closed) { try await store.expire(before: Fixtures.date(0)) }
            await #expect(throws: StoreError.closed) { try await store.queueDepth() }
        }
    }

    @Test("closing while sends are in flight: each either committed or failed with .closed",
          arguments: StoreBackend.all)
    func closeDuringSends(backend: StoreBackend) async throws {
        let store = try await backend.factory.makeStore()
        let alice = try await store.makeAccount("alice")
        let bob = try await store.makeAccount("bob")
        let committed = SendLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<8 {
                group.addTask {
                    // Each sender keeps sending until the store refuses.
                    for sequence in 0..<500 {
                        let id = "\(sender)/\(sequence)"
                        do {
                            _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: id))
                            await committed.record(id)
                        } catch StoreError.closed {
                            await committed.recordRefusal()
                            return
                        }
                    }
                }
            }
            group.addTask {
                await committed.waitForCount(50)
                try await store.close()
            }
            try await group.waitForAll()
        }
        let acknowledged = await committed.ids
        #expect(acknowledged.count >= 50)
        #expect(await committed.refusals == 8)

        let reopened = try await backend.factory.reopen(store)
        let stored = try await reopened.allPending(for: bob.id).map { String(decoding: $0.clientMessageID, as: UTF8.self) }
        await backend.factory.destroy(reopened)
        #expect(Set(stored) == acknowledged)
        #expect(stored.count == acknowledged.count)
    }
}

/// The client message ids whose enqueue was acknowledged, shared by concurrent senders.
private actor SendLog {
    private(set) var ids: Set<String> = []
    private(set) var refusals = 0
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func record(_ id: String) {
        ids.insert(id)
        let ready = waiters.filter { $0.count <= ids.count }
        waiters.removeAll { $0.count <= ids.count }
        for waiter in ready { waiter.continuation.resume() }
    }

    func recordRefusal() {
        refusals += 1
    }

    /// Returns once `count` enqueues were acknowledged.
    func waitForCount(_ count: Int) async {
        guard ids.count < count else { return }
        await withCheckedContinuation { waiters.append((count, $0)) }
    }
}
