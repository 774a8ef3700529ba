import Foundation
import Logging
import Testing
import TacitClient
import TacitServer

/// Fault test (1): two `tacit server` processes on one database under a steady send
/// load; one is killed with SIGKILL, its clients reconnect (through the relay standing in
/// for the load balancer) to the other. Every acknowledged message reaches each app
/// exactly once, in order per sender.
@Suite(.timeLimit(.minutes(5))) struct NodeFailoverTests {
    @Test("a node killed with SIGKILL under load: every acknowledged message delivered once, in order")
    func sigkillOneNode() async throws {
        let database = try await TestDatabase.create()
        let keyFile = temporaryDirectory("key").appendingPathComponent("server-identity.key")
        _ = try ServerIdentity.loadOrCreate(at: keyFile.path, logger: Logger(label: "test"))
        let a = try ChildNode(nodeID: "a", databaseURL: database.url, identityKey: keyFile)
        let b = try ChildNode(nodeID: "b", databaseURL: database.url, identityKey: keyFile)
        try await a.start()
        try await b.start()
        let relay = try await TCPRelay.start(targets: [a.port])

        // One sender and one receiver on each node.
        let (alice, _) = try await makeAccount("alice", server: relay.url)
        let (bob, bobDevice) = try await makeAccount("bob", server: relay.url)
        relay.route(to: [b.port])
        let (carol, _) = try await makeAccount("carol", server: relay.url)
        let (dave, daveDevice) = try await makeAccount("dave", server: relay.url)
        relay.route(to: [a.port, b.port])
        let bobInbox = Inbox(bob)
        let daveInbox = Inbox(dave)
        _ = try await bob.waitForBacklog()
        _ = try await dave.waitForBacklog()
        let onA = try await HTTPGet.gauge("tacit_connections_open", in: HTTPGet.fetch(port: a.port, path: "/metrics").body)
        #expect(onA == 2, "alice and bob on node a")

        let senders = [("alice", alice), ("carol", carol)]
        let stop = StopFlag()
        let acknowledged = senders.map { _ in Acknowledged() }
        var sending: [Task<Void, any Error>] = []
        for ((name, client), record) in zip(senders, acknowledged) {
            sending.append(Task {
                var index = 0
                while !stop.isSet {
                    // The SDK retries (same message id) until some node acknowledges.
                    try await client.send(to: [bobDevice, daveDevice], body: Array("\(name) \(index)".utf8))
                    record.append(index)
                    index += 1
                }
            })
        }

        try await waitUntil("progress before the kill", timeout: 60) { acknowledged.allSatisfy { $0.count > 30 } }
        await a.crash()
        let before = acknowledged.map(\.count)
        try await waitUntil("progress after the kill", timeout: 90) {
            zip(acknowledged, before).allSatisfy { $0.count > $1 + 30 }
        }
        stop.set()
        for task in sending { try await task.value }
        let aliceUp = await alice.isConnected
        let bobUp = await bob.isConnected
        #expect(aliceUp && bobUp, "node a's clients reconnected to node b")

        let sent = Dictionary(uniqueKeysWithValues: zip(senders.map(\.0), acknowledged.map(\.all)))
        let total = sent.values.map(\.count).reduce(0, +)
        _ = try? await bobInbox.wait(for: total, timeout: 60)
        _ = try? await daveInbox.wait(for: total, timeout: 60)
        try await Task.sleep(for: .seconds(1))
        DeliveryCheck.verify(received: bobInbox.texts, acknowledged: sent, receiver: "bob")
        DeliveryCheck.verify(received: daveInbox.texts, acknowledged: sent, receiver: "dave")
        #expect(total > 4 * 30)

        for client in [alice, bob, carol, dave] { await client.close() }
        await relay.close()
        await b.stop()
        await database.drop()
    }
}
