import Foundation
import Testing
import TacitClient
import TacitServer
import TacitStore
import TacitTestSupport

/// Two nodes on one PostgreSQL database: what is sent through one reaches a client on
/// the other at once, and what a lost wakeup would have delayed arrives anyway.
@Suite(.timeLimit(.minutes(3))) struct CrossNodeDeliveryTests {
    /// Runs `body` with two in-process nodes (ids "a" and "b") on a fresh database.
    func withTwoNodes(catchUpInterval: Duration = .seconds(60),
                      _ body: @escaping @Sendable (TestDatabase, InProcessNode, InProcessNode) async throws -> Void) async throws {
        let database = try await TestDatabase.create()
        let identity = ServerIdentity()
        var nodes: [InProcessNode] = []
        // Every step bounded below the suite's time limit: a hang fails this test, naming
        // the step, instead of stopping the whole run.
        do {
            for id in ["a", "b"] {
                nodes.append(try await bounded("starting node \(id)", seconds: 30) {
                    try await InProcessNode.start(database: database, identity: identity, nodeID: id,
                                                  catchUpInterval: catchUpInterval)
                })
            }
            let (a, b) = (nodes[0], nodes[1])
            try await bounded("the test body", seconds: 100) { try await body(database, a, b) }
        } catch {
            await Self.tearDown(nodes, database)
            throw error
        }
        await Self.tearDown(nodes, database)
    }

    static func tearDown(_ nodes: [InProcessNode], _ database: TestDatabase) async {
        do {
            for node in nodes { try await bounded("stopping node on port \(node.port)", seconds: 20) { await node.stop() } }
            try await bounded("dropping the database", seconds: 20) { await database.drop() }
        } catch {
            Issue.record(error)
        }
    }

    @Test("a message sent through node A reaches a client on node B at once, not at the next catch-up")
    func crossNodeWakeup() async throws {
        try await withTwoNodes { _, a, b in
            let (alice, _) = try await makeAccount("alice", server: a.url)
            let (bob, bobDevice) = try await makeAccount("bob", server: b.url)
            let inbox = Inbox(bob)
            _ = try await bob.waitForBacklog()
            var latencies: [Duration] = []
            for index in 0..<20 {
                let text = "hello \(index)"
                let sent = ContinuousClock.now
                try await alice.send(to: [bobDevice], body: Array(text.utf8))
                try await inbox.wait(for: index + 1, timeout: 20)
                latencies.append(try #require(inbox.arrival(of: text)) - sent)
            }
            #expect(inbox.texts == (0..<20).map { "hello \($0)" })
            // The catch-up runs every 60 s here: only the wakeup explains a quick arrival.
            let slowest = try #require(latencies.max())
            #expect(slowest < .seconds(5), "slowest cross-node delivery took \(slowest)")
            await alice.close()
            await bob.close()
        }
    }

    @Test("a message stored without any wakeup is delivered by the periodic catch-up")
    func catchUpFindsUnannouncedMessages() async throws {
        try await withTwoNodes(catchUpInterval: .seconds(1)) { database, _, b in
            let (bob, bobDevice) = try await makeAccount("bob", server: b.url)
            let (carol, carolDevice) = try await makeAccount("carol", server: b.url)
            let inbox = Inbox(bob)
            _ = try await bob.waitForBacklog()
            // A third store on the database enqueues directly: no node hears of it.
            let store = try await database.openStore()
            let message = OutgoingMessage(sender: carolDevice, clientMessageID: Array(repeating: 7, count: 16),
                                          recipients: [bobDevice], body: Array("unannounced".utf8), receivedAt: Date())
            _ = try await store.enqueue(message)
            try await store.close()
            try await inbox.wait(for: 1, timeout: 15)
            #expect(inbox.texts == ["unannounced"])
            await bob.close()
            await carol.close()
        }
    }

    @Test("when the cluster link is cut and comes back, every connection re-reads its queue")
    func relinkResynchronizes() async throws {
        try await withTwoNodes { database, _, b in
            let (bob, bobDevice) = try await makeAccount("bob", server: b.url)
            let (carol, carolDevice) = try await makeAccount("carol", server: b.url)
            let inbox = Inbox(bob)
            _ = try await bob.waitForBacklog()
            let store = try await database.openStore()
            let message = OutgoingMessage(sender: carolDevice, clientMessageID: Array(repeating: 9, count: 16),
                                          recipients: [bobDevice], body: Array("while relinking".utf8), receivedAt: Date())
            _ = try await store.enqueue(message)
            try await store.close()
            // Cut both nodes' cluster links (as a PostgreSQL failover would).
            let cut = try await terminateClusterLinks(of: database)
            #expect(cut == 2)
            // The catch-up runs every 60 s: only the resynchronization explains a quick arrival.
            try await inbox.wait(for: 1, timeout: 15)
            #expect(inbox.texts == ["while relinking"])
            await bob.close()
            await carol.close()
        }
    }

    /// Ends the nodes' LISTEN connections to `database`; returns how many there were.
    func terminateClusterLinks(of database: TestDatabase) async throws -> Int {
        try await PostgresAdmin.terminate(applicationName: "tacit-cluster", database: database)
    }
}
