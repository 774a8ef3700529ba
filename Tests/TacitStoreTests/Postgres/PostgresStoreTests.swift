import Foundation
import TacitStore
import Testing

@Suite("PostgreSQL store: storage, group commit, connection failures")
struct PostgresStoreTests {
    let factory = PostgresStoreFactory()

    func withStore<T>(_ body: (PostgresStore) async throws -> T) async throws -> T {
        let store = try await factory.makePostgresStore()
        do {
            let result = try await body(store)
            await factory.destroy(store)
            return result
        } catch {
            await factory.destroy(store)
            throw error
        }
    }

    @Test("a body is stored once for all recipients and released with the last acknowledgement")
    func bodyStoredOnce() async throws {
        try await withStore { store in
            let alice = try await store.makeAccount("alice")
            let recipients = try await store.makeDevices(3)
            let body = Fixtures.randomBytes(1000)
            let result = try await store.enqueue(Fixtures.message(from: alice.id, to: recipients.map(\.id),
                                                                  id: "m", body: body))
            var statistics = try await store.statistics()
            #expect(statistics.messages == 1 && statistics.storedBodies == 1)
            #expect(statistics.storedBodyBytes == 1000)
            #expect(statistics.queueEntries == 3)

            for (index, recipient) in recipients.enumerated() {
                try await store.acknowledge(device: recipient.id, queueIDs: [try #require(result.entries[recipient.id])])
                statistics = try await store.statistics()
                #expect(statistics.storedBodies == (index == 2 ? 0 : 1))
            }
            // The idempotency record stays until expiry.
            #expect(statistics.messages == 1 && statistics.storedBodyBytes == 0)
            #expect(try await store.enqueue(Fixtures.message(from: alice.id, to: recipients.map(\.id), id: "m")).duplicate)
        }
    }

    @Test("revoking a device releases the bodies only it still held")
    func revokeReleasesBodies() async throws {
        try await withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let tablet = try await store.addDevice(username: "bob", device: Fixtures.newDevice("tablet"),
                                                   deviceList: Fixtures.deviceList(version: 2), replacingVersion: 1)
            let both = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id, tablet.id], id: "1"))
            _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [tablet.id], id: "2"))
            try await store.acknowledge(device: bob.id, queueIDs: [try #require(both.entries[bob.id])])
            try await store.revokeDevice(id: tablet.id, deviceList: Fixtures.deviceList(version: 3), replacingVersion: 2)
            let statistics = try await store.statistics()
            #expect(statistics.queueEntries == 0)
            #expect(statistics.storedBodies == 0)
            #expect(statistics.messages == 2)
        }
    }

    @Test("concurrent sends share commits")
    func groupCommit() async throws {
        try await withStore { store in
            let senders = try await store.makeDevices(64, prefix: "sender")
            let bob = try await store.makeAccount("bob")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in senders {
                    group.addTask {
                        for index in 0..<5 {
                            _ = try await store.enqueue(Fixtures.message(from: sender.id, to: [bob.id], id: "\(index)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let statistics = try await store.statistics()
            #expect(statistics.batchedWrites == 320)
            #expect(statistics.largestBatch > 1)
            #expect(statistics.committedBatches < 320)
            #expect(try await store.queueDepth() == 320)
        }
    }

    @Test("a server that does not answer is unavailable at once, not after the pool's retries")
    func unreachableServer() async throws {
        var endpoint = try PostgresStoreFactory.serverEndpoint()
        endpoint.port = 1
        let start = ContinuousClock.now
        await #expect {
            try await PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint, connectTimeout: .seconds(5)))
        } throws: { error in
            guard case StoreError.unavailable(let reason) = error else { return false }
            return reason.contains("127.0.0.1:1/") && !reason.contains(endpoint.password ?? "\u{0}")
        }
        // Refused at once means well before the pool's own retries (about 60 s); the bound is
        // loose because this 2-core machine can be very busy while the suite runs.
        #expect(ContinuousClock.now - start < .seconds(40))
    }

    @Test("a wrong password is unavailable, and the message does not show it")
    func wrongPassword() async throws {
        var endpoint = try PostgresStoreFactory.serverEndpoint()
        endpoint.password = "not-the-password"
        await #expect {
            try await PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint))
        } throws: { error in
            guard case StoreError.unavailable(let reason) = error else { return false }
            return !reason.contains("not-the-password")
        }
    }
}
