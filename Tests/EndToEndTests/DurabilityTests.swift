import Foundation
import Synchronization
import Testing
import TacitClient

/// The server process is killed with SIGKILL while clients send, and restarted on the
/// same data directory and port, three times. Every message a sender saw acknowledged
/// must reach the receiving app after the restarts, and none may reach it twice.
@Suite struct DurabilityTests {
    /// What a sender saw acknowledged, in order.
    final class Acknowledged: Sendable {
        private let indices = Mutex<[Int]>([])
        func append(_ index: Int) { indices.withLock { $0.append(index) } }
        var all: [Int] { indices.withLock { $0 } }
        var count: Int { indices.withLock { $0.count } }
    }

    /// Set once to stop the senders.
    final class StopFlag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    @Test(.timeLimit(.minutes(5)))
    func acknowledgedMessagesSurviveSIGKILL() async throws {
        let server = ChildServer()
        try await server.start()
        let url = try ServerURL(server.url)

        let senders = ["alice", "carol"]
        var senderClients: [TacitClient] = []
        for name in senders {
            let client = try makeClient(name)
            try await client.register(username: name, server: url)
            try await client.connect()
            senderClients.append(client)
        }
        let bob = try makeClient("bob")
        let bobDevice = try await bob.register(username: "bob", server: url).deviceID
        try await bob.connect()
        let inbox = Inbox(bob)

        let stop = StopFlag()
        let acknowledged = senders.map { _ in Acknowledged() }
        var sending: [Task<Void, any Error>] = []
        for (client, (name, record)) in zip(senderClients, zip(senders, acknowledged)) {
            sending.append(Task {
                var index = 0
                while !stop.isSet {
                    // Retries (same id) until the server acknowledges, across restarts.
                    try await client.send(to: [bobDevice], body: Array("\(name) \(index)".utf8))
                    record.append(index)
                    index += 1
                }
            })
        }

        for _ in 0..<3 {
            let before = acknowledged.map(\.count)
            // Let every sender make progress on this server run before killing it.
            try await waitUntil(timeout: 60) { zip(acknowledged, before).allSatisfy { $0.count > $1 + 20 } }
            await server.crash()
            try await Task.sleep(for: .milliseconds(300))
            try await server.start()
        }
        try await waitUntil(timeout: 60) { acknowledged.allSatisfy { $0.count > 20 } }
        stop.set()
        for task in sending { try await task.value }

        let expected = zip(senders, acknowledged).flatMap { name, record in record.all.map { "\(name) \($0)" } }
        // A shortfall is reported by the checks below, with what is missing.
        _ = try? await inbox.wait(for: expected.count, timeout: 120)
        try await Task.sleep(for: .seconds(1))
        let texts = inbox.envelopes.map { String(decoding: $0.body, as: UTF8.self) }
        // Counted exactly: every acknowledged message once, nothing else.
        let duplicates = texts.count - Set(texts).count
        let missing = Set(expected).subtracting(texts)
        let unexpected = Set(texts).subtracting(expected)
        #expect(duplicates == 0, "\(duplicates) messages reached the app twice")
        #expect(missing.isEmpty, "acknowledged but never delivered: \(missing.sorted().prefix(10))")
        #expect(unexpected.isEmpty, "delivered but never acknowledged: \(unexpected.sorted().prefix(10))")
        #expect(texts.count == expected.count)
        // And each sender's messages in the order sent.
        for (name, record) in zip(senders, acknowledged) {
            let mine = texts.filter { $0.hasPrefix(name + " ") }
            let sent = record.all.map { "\(name) \($0)" }
            let firstDifference = zip(mine, sent).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            let inOrder = mine == sent
            #expect(inOrder,
                    "\(name): order differs at position \(firstDifference.map(String.init) ?? "end")")
        }
        #expect(expected.count > 6 * 20)
        #expect(server.starts == 4)

        for client in senderClients { await client.close() }
        await bob.close()
        await server.stop()
    }

    private func waitUntil(timeout: Double, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(what: "progress") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
