import Foundation
import TacitServer
import TacitStore
import TacitWire
import Testing

@Suite struct HTTPRoutesTests {
    @Test func healthIsOKWhileTheStoreAnswersAnd503Otherwise() async throws {
        try await withTestServer { server in
            let (status, body) = try await server.get("/health")
            #expect(status == 200)
            #expect(body == "ok\n")
            try await server.store.close()
            let (down, _) = try await server.get("/health")
            #expect(down == 503)
        }
    }

    @Test func metricsShowConnectionsMessagesAndStoreLatency() async throws {
        try await withTestServer { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let (bob, _) = try await server.register("bob", TestDevice())
            #expect(try await bob.request(.send(to: [aliceID], body: [1])).error == nil)
            _ = try await alice.envelope()
            let (status, text) = try await server.get("/metrics")
            #expect(status == 200)
            #expect(text.contains("# TYPE tacit_connections_open gauge"))
            #expect(text.contains("tacit_connections_open 2"))
            #expect(text.contains("tacit_messages_received_total 1"))
            #expect(text.contains("tacit_messages_delivered_total 1"))
            #expect(text.contains("tacit_queue_depth"))
            #expect(text.contains("tacit_store_seconds_bucket{operation=\"enqueue\""))
        }
    }

    @Test func theServerKeyPersistsAcrossRestarts() async throws {
        let first = try await TestServer.start()
        defer { first.removeData() }
        let key = first.serverKey
        let alice = TestDevice()
        let (_, aliceID) = try await first.register("alice", alice)
        try await first.stop()
        let attributes = try FileManager.default.attributesOfItem(atPath: first.configuration.identityKeyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let second = try await TestServer.start(dataDirectory: first.configuration.dataDirectory)
        #expect(second.serverKey == key)
        let (_, challenge) = try await second.handshake()
        #expect(Array(challenge.serverKey) == key)
        // The account survived the restart too.
        let socket = try await second.authenticate(alice, id: aliceID)
        #expect(try await socket.backlog().isEmpty)
        try await second.stop()
    }

    @Test func gracefulShutdownClosesSocketsAndTheStore() async throws {
        let server = try await TestServer.start()
        defer { server.removeData() }
        let (socket, _) = try await server.register("alice", TestDevice())
        try await server.stop()
        let (_, code) = try await socket.drainUntilClosed()
        #expect(code == 1001, "RFC 6455's Going Away: the server is shutting down")
        await #expect(throws: StoreError.closed) { try await server.store.queueDepth() }
    }
}
