import Foundation
import Testing
import TacitClient
import TacitServer

/// Trust on first use: the first server key is pinned, a different one is refused.
@Suite struct PinningTests {
    @Test func theFirstKeyIsPinnedAndKeptAcrossRestarts() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        #expect(await alice.pinnedServerKey == server.serverKey)
        await alice.close()

        try await server.restart()
        let again = try makeClient(home: alice.home)
        try await again.connect()
        #expect(await again.pinnedServerKey == server.serverKey)
        await again.close()
        await server.stop()
    }

    @Test func aChangedKeyIsRefusedUntilTrustedAgain() async throws {
        let original = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: original)
        let pinned = try #require(await alice.pinnedServerKey)
        await alice.close()
        await original.stop()

        // The operator moves the database to a new machine but loses the key: same
        // accounts, same address, new identity.
        let moved = TemporaryDirectory.make("moved")
        for suffix in ["", "-wal", "-shm"] {
            let source = original.configuration.databasePath + suffix
            guard FileManager.default.fileExists(atPath: source) else { continue }
            try FileManager.default.copyItem(atPath: source,
                                             toPath: moved.appendingPathComponent("tacit.sqlite" + suffix).path)
        }
        let replaced = try await InProcessServer.start(dataDirectory: moved, port: original.port)
        #expect(replaced.serverKey != pinned)

        let client = try makeClient(home: alice.home)
        let error = await #expect(throws: ClientError.self) { try await client.connect() }
        #expect(error == .serverIdentityChanged(server: try original.url.base, pinned: pinned,
                                                presented: replaced.serverKey))
        #expect(await client.pinnedServerKey == pinned)
        #expect(await !client.isConnected)
        // The client stopped for good: later calls fail the same way instead of retrying.
        let later = await #expect(throws: ClientError.self) { try await client.send(to: [1], body: [1]) }
        #expect(later == error)

        // Once the operator confirmed the new key out of band, the user trusts it.
        try await client.forgetServerKey()
        try await client.connect()
        #expect(await client.pinnedServerKey == replaced.serverKey)
        await client.close()
        await replaced.stop()
    }
}
