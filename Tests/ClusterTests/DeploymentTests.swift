import Foundation
import Logging
import Testing
import TacitClient
import TacitServer

/// The README's deployment, run on loopback: one PostgreSQL database, two `tacit server`
/// nodes sharing a server key, nginx in front proxying WebSockets to both.
@Suite(.timeLimit(.minutes(3))) struct DeploymentTests {
    @Test("two nodes behind nginx: clients on different nodes talk through one address")
    func twoNodesBehindNginx() async throws {
        let database = try await TestDatabase.create()
        let keyFile = temporaryDirectory("key").appendingPathComponent("server-identity.key")
        _ = try ServerIdentity.loadOrCreate(at: keyFile.path, logger: Logger(label: "test"))
        let a = try ChildNode(nodeID: "a", databaseURL: database.url, identityKey: keyFile)
        let b = try ChildNode(nodeID: "b", databaseURL: database.url, identityKey: keyFile)
        let banner = try await a.start()
        let secondBanner = try await b.start(viaEnvironment: true)
        #expect(banner.contains("database:       PostgreSQL postgres://"), "the banner names the backend: \(banner)")
        #expect(banner.contains("node a"))
        #expect(secondBanner.contains("PostgreSQL") && secondBanner.contains("node b"),
                "TACIT_DATABASE_URL and TACIT_NODE_ID are read: \(secondBanner)")
        #expect(!banner.contains(try #require(URLComponents(string: database.url)?.password)), "no password shown")
        let nginx = try await NginxProxy.start(upstreams: [a.port, b.port])

        #expect(try await HTTPGet.fetch(port: nginx.port, path: "/health").status == 200)
        let (alice, aliceDevice) = try await makeAccount("alice", server: nginx.url)
        let aliceNode = try await nodeHolding(one: [a, b])
        // nginx alternates between the nodes; find bob a connection on the other one.
        var bob: TacitClient?
        var bobDevice: DeviceID = 0
        for attempt in 0..<6 where bob == nil {
            let (client, device) = try await makeAccount("bob\(attempt)", server: nginx.url)
            let counts = try await [a, b].asyncMap { try await Self.connections(on: $0) }
            if counts[aliceNode] == 1 && counts[1 - aliceNode] == 1 {
                bob = client
                bobDevice = device
            } else {
                await client.close()
                try await waitUntil("bob's connection to close", timeout: 10) {
                    try await [a, b].asyncMap { try await Self.connections(on: $0) }.reduce(0, +) == 1
                }
                _ = try await HTTPGet.fetch(port: nginx.port, path: "/health")
            }
        }
        let bobClient = try #require(bob, "no connection of bob's reached the node alice is not on")
        let aliceInbox = Inbox(alice)
        let bobInbox = Inbox(bobClient)
        _ = try await alice.waitForBacklog()
        _ = try await bobClient.waitForBacklog()

        for index in 0..<10 {
            try await alice.send(to: [bobDevice], body: Array("alice \(index)".utf8))
            try await bobClient.send(to: [aliceDevice], body: Array("bob \(index)".utf8))
        }
        try await bobInbox.wait(for: 10, timeout: 20)
        try await aliceInbox.wait(for: 10, timeout: 20)
        #expect(bobInbox.texts == (0..<10).map { "alice \($0)" })
        #expect(aliceInbox.texts == (0..<10).map { "bob \($0)" })

        await alice.close()
        await bobClient.close()
        await nginx.stop()
        await a.stop()
        await b.stop()
        await database.drop()
    }

    static func connections(on node: ChildNode) async throws -> Int {
        let (_, body) = try await HTTPGet.fetch(port: node.port, path: "/metrics")
        return HTTPGet.gauge("tacit_connections_open", in: body) ?? -1
    }

    /// The index of the one node with a connection open.
    func nodeHolding(one nodes: [ChildNode]) async throws -> Int {
        var counts: [Int] = []
        try await waitUntil("one connection", timeout: 10) {
            counts = try await nodes.asyncMap { try await Self.connections(on: $0) }
            return counts.reduce(0, +) == 1
        }
        return try #require(counts.firstIndex(of: 1))
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
