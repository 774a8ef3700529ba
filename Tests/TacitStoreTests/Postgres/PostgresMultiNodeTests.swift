import TacitStore
import Testing

/// Several stores on one database, as several server nodes use it: what one node's
/// group commit cannot serialize, the database must.
@Suite("PostgreSQL store: several nodes on one database")
struct PostgresMultiNodeTests {
    @Test("a device reading its queue with a cursor misses nothing while two nodes enqueue to it")
    func cursorNeverSkips() async throws {
        try await PostgresNodes.with(2) { nodes in
            let senders = try await nodes[0].makeDevices(8, prefix: "sender")
            let bob = try await nodes[0].makeAccount("bob")
            let perSender = 40
            let total = senders.count * perSender

            let seen = try await withThrowingTaskGroup(of: [QueuedMessage]?.self) { group in
                for (index, sender) in senders.enumerated() {
                    let node = nodes[index % nodes.count]
                    group.addTask {
                        for sequence in 0..<perSender {
                            _ = try await node.enqueue(Fixtures.message(from: sender.id, to: [bob.id],
                                                                        id: "\(index)/\(sequence)"))
                        }
                        return nil
                    }
                }
                group.addTask {
                    // Bob's device on node 0 follows its queue the way a connected client does.
                    var seen: [QueuedMessage] = []
                    var cursor: QueueID = 0
                    let deadline = ContinuousClock.now + .seconds(60)
                    while seen.count < total, ContinuousClock.now < deadline {
                        let page = try await nodes[0].pending(for: bob.id, after: cursor, limit: 50)
                        seen += page
                        if let last = page.last { cursor = last.queueID } else { await Task.yield() }
                    }
                    return seen
                }
                var seen: [QueuedMessage] = []
                for try await result in group { if let result { seen = result } }
                return seen
            }
            #expect(seen.count == total)
            #expect(Set(seen.map(\.clientMessageID)).count == total)
            #expect(seen.map(\.queueID) == seen.map(\.queueID).sorted())
        }
    }

    @Test("two nodes acknowledging a message's last two entries at once release its body")
    func concurrentAcknowledgements() async throws {
        try await PostgresNodes.with(2) { nodes in
            let alice = try await nodes[0].makeAccount("alice")
            let bob = try await nodes[0].makeAccount("bob")
            let carol = try await nodes[0].makeAccount("carol")
            var sent: [EnqueueResult] = []
            for index in 0..<100 {
                sent.append(try await nodes[0].enqueue(Fixtures.message(from: alice.id, to: [bob.id, carol.id],
                                                                        id: "m\(index)")))
            }
            let results = sent
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (node, device) in [(nodes[0], bob), (nodes[1], carol)] {
                    group.addTask {
                        for result in results {
                            let entry = try #require(result.entries[device.id])
                            let count = try await node.acknowledge(device: device.id, queueIDs: [entry])
                            #expect(count == 1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let statistics = try await nodes[1].statistics()
            #expect(statistics.queueEntries == 0)
            #expect(statistics.storedBodies == 0)
            #expect(statistics.messages == 100)
        }
    }

    @Test("revoking a device on one node while another enqueues to it leaves it no queue")
    func revokeDuringEnqueues() async throws {
        try await PostgresNodes.with(2) { nodes in
            let alice = try await nodes[0].makeAccount("alice")
            let bob = try await nodes[0].makeAccount("bob")
            let tablet = try await nodes[0].addDevice(username: "bob", device: Fixtures.newDevice("tablet"),
                                                      deviceList: Fixtures.deviceList(version: 2), replacingVersion: 1)
            let outcomes = try await withThrowingTaskGroup(of: [Bool].self) { group in
                group.addTask {
                    var outcomes: [Bool] = []
                    for index in 0..<150 {
                        do {
                            _ = try await nodes[0].enqueue(Fixtures.message(from: alice.id, to: [bob.id, tablet.id],
                                                                            id: "m\(index)"))
                            outcomes.append(true)
                        } catch StoreError.unknownRecipient(let recipient) {
                            #expect(recipient == tablet.id)
                            outcomes.append(false)
                        }
                    }
                    return outcomes
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(50))
                    try await nodes[1].revokeDevice(id: tablet.id, deviceList: Fixtures.deviceList(version: 3),
                                                    replacingVersion: 2)
                    return []
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(outcomes.count == 150)
            // Once refused, always refused: no enqueue got past the revocation.
            let firstRefused = outcomes.firstIndex(of: false) ?? outcomes.count
            #expect(!outcomes[firstRefused...].contains(true))
            #expect(try await nodes[0].pending(for: tablet.id, after: 0, limit: 10).isEmpty)
            #expect(try await nodes[1].allPending(for: bob.id).count == firstRefused)
        }
    }

    @Test("of sign-ups for one username on two nodes exactly one wins")
    func usernameRace() async throws {
        try await PostgresNodes.with(2) { nodes in
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await nodes[index % 2].createAccount(username: "bob", device: Fixtures.newDevice(),
                                                                         deviceList: Fixtures.deviceList(version: 1))
                            return true
                        } catch {
                            #expect(error as? StoreError == .usernameTaken)
                            return false
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
        }
    }

    @Test("connections cut by the server: calls fail as unavailable, nothing unacknowledged is kept as sent")
    func connectionsCut() async throws {
        try await PostgresNodes.with(1) { nodes in
            let store = nodes[0]
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            var acknowledged: Set<String> = []
            var failed: Set<String> = []
            for round in 0..<5 {
                try await Self.terminateConnections(of: store)
                for index in 0..<10 {
                    let id = "\(round)/\(index)"
                    do {
                        _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: id))
                        acknowledged.insert(id)
                    } catch let error as StoreError {
                        guard case .unavailable = error else { throw error }
                        failed.insert(id)
                    }
                }
            }
            // The pool replaces cut connections: most sends went through, and the store works.
            #expect(acknowledged.count > failed.count)
            _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "after the cuts"))
            acknowledged.insert("after the cuts")
            let stored = Set(try await store.allPending(for: bob.id).map { String(decoding: $0.clientMessageID, as: UTF8.self) })
            #expect(acknowledged.isSubset(of: stored))
            // A failed send is retried by its client; the retry is either new or a duplicate.
            for id in failed {
                let retry = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: id))
                #expect(retry.duplicate == stored.contains(id))
            }
        }
    }

    /// Ends every server process serving `store`'s database, as a server restart or a
    /// network cut would.
    static func terminateConnections(of store: PostgresStore) async throws {
        try await PostgresDatabases.disconnectAll(from: store.configuration.endpoint.database,
                                                  on: try PostgresStoreFactory.serverEndpoint())
    }
}
