import Foundation
import Testing
import TacitClient
import TacitServer

/// A device whose connection died on the way, without the server noticing, reconnects
/// through the other node: the node holding the stale connection closes it with 4000 at
/// once (not at the next keepalive), and the app gets every message exactly once.
@Suite(.timeLimit(.minutes(3))) struct ConnectionReplacementTests {
    @Test("the stale connection on the old node is closed with 4000; no message reaches the app twice")
    func staleConnectionClosedAcrossNodes() async throws {
        let database = try await TestDatabase.create()
        let identity = ServerIdentity()
        let a = try await InProcessNode.start(database: database, identity: identity, nodeID: "a",
                                              catchUpInterval: .seconds(60))
        let b = try await InProcessNode.start(database: database, identity: identity, nodeID: "b",
                                              catchUpInterval: .seconds(60))
        let relay = try await TCPRelay.start(targets: [a.port])
        defer { Task { await relay.close() } }

        let (alice, _) = try await makeAccount("alice", server: b.url)
        let (bob, bobDevice) = try await makeAccount("bob", server: relay.url)
        let inbox = Inbox(bob)
        _ = try await bob.waitForBacklog()
        try await waitUntil("bob's connection on node a", timeout: 10) { try await a.openConnections() == 1 }

        // Bob's acknowledgements stop reaching the server; what he receives stays queued.
        relay.muteClients()
        for index in 0..<5 { try await alice.send(to: [bobDevice], body: Array("first \(index)".utf8)) }
        try await inbox.wait(for: 5, timeout: 20)

        // His connection dies on the way; node a does not notice. He reconnects through b.
        relay.route(to: [b.port])
        let cut = relay.cutClients()
        try await waitUntil("bob's reconnection", timeout: 20) { await bob.isConnected }
        let started = ContinuousClock.now
        try await waitUntil("node a to close the stale connection", timeout: 10) { try await a.openConnections() == 0 }
        #expect(ContinuousClock.now - started < .seconds(8), "well before the 30 s keepalive")
        // Node a's close frame went into the dead connection: code 4000 (0x0FA0), unmasked.
        let closeFrames = cut.map(\.afterCut)
        #expect(closeFrames.contains { Self.containsClose(code: 4000, in: $0) },
                "what node a sent after the cut: \(closeFrames)")

        // The backlog node b pushes again is recognized by the SDK; new messages arrive once.
        for index in 0..<5 { try await alice.send(to: [bobDevice], body: Array("second \(index)".utf8)) }
        try await inbox.wait(for: 10, timeout: 20)
        try await Task.sleep(for: .seconds(1))
        let expected = (0..<5).map { "first \($0)" } + (0..<5).map { "second \($0)" }
        #expect(inbox.texts == expected)

        await alice.close()
        await bob.close()
        await a.stop()
        await b.stop()
        await database.drop()
    }

    /// Whether `bytes` hold a WebSocket close frame (opcode 8, unmasked) with `code`.
    static func containsClose(code: UInt16, in bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        for start in 0...(bytes.count - 4) where bytes[start] == 0x88 && bytes[start + 1] & 0x80 == 0
            && bytes[start + 1] >= 2 {
            if UInt16(bytes[start + 2]) << 8 | UInt16(bytes[start + 3]) == code { return true }
        }
        return false
    }
}
