import Foundation
import Testing
import TacitClient
import TacitServer

/// Fault test (2): PostgreSQL stops in the middle of a run and comes back. On a cluster
/// of the test's own, so the other PostgreSQL tests never notice. While it is down both
/// nodes report unhealthy and refuse sends with a retryable error (never an
/// acknowledgement); afterwards they recover by themselves and nothing acknowledged is lost.
@Suite(.timeLimit(.minutes(5)))
struct DatabaseRestartTests {
    @Test("PostgreSQL restarted mid-run: 503 and retryable refusals while down, recovery, nothing lost")
    func postgresRestart() async throws {
        let postgres = try await OwnPostgres.start()
        defer { Task { await postgres.stop() } }
        let database = try await TestDatabase.create(on: postgres.serverURL)
        let identity = ServerIdentity()
        let a = try await InProcessNode.start(database: database, identity: identity, nodeID: "a",
                                              catchUpInterval: .seconds(2), storeTimeout: .seconds(2))
        let b = try await InProcessNode.start(database: database, identity: identity, nodeID: "b",
                                              catchUpInterval: .seconds(2), storeTimeout: .seconds(2))
        #expect(await HTTPGet.health(port: a.port) == 200)

        let log = LogCapture()
        let (alice, _) = try await makeAccount("alice", server: a.url, log: log)
        let (bob, bobDevice) = try await makeAccount("bob", server: b.url)
        let inbox = Inbox(bob)
        _ = try await bob.waitForBacklog()

        let stop = StopFlag()
        let acknowledged = Acknowledged()
        let sender = Task {
            var index = 0
            while !stop.isSet {
                try await alice.send(to: [bobDevice], body: Array("alice \(index)".utf8))
                acknowledged.append(index)
                index += 1
            }
        }
        try await waitUntil("progress before the restart", timeout: 60) { acknowledged.count > 30 }

        try await postgres.halt()
        let haltedAt = ContinuousClock.now
        // Both nodes notice quickly: /health's check gives up after 2 s.
        try await waitUntil("both nodes unhealthy", timeout: 20) {
            let states = [await HTTPGet.health(port: a.port), await HTTPGet.health(port: b.port)]
            return states.allSatisfy { $0 == 503 }
        }
        #expect(ContinuousClock.now - haltedAt < .seconds(15))
        // Sends wait, refused retryably; none is acknowledged while the database is down.
        try await Task.sleep(for: .seconds(1))
        let ackedWhileDown = acknowledged.count
        try await waitUntil("a retryable refusal of a send", timeout: 20) {
            log.all.contains { $0.contains("retrying a send") && $0.contains("retry") && $0.contains("storage") }
        }
        try await Task.sleep(for: .seconds(2))
        #expect(acknowledged.count == ackedWhileDown, "no send is acknowledged while the database is down")

        try await postgres.resume()
        try await waitUntil("both nodes healthy again", timeout: 90) {
            let states = [await HTTPGet.health(port: a.port), await HTTPGet.health(port: b.port)]
            return states.allSatisfy { $0 == 200 }
        }
        let afterRecovery = acknowledged.count
        try await waitUntil("progress after the restart", timeout: 90) { acknowledged.count > afterRecovery + 30 }
        stop.set()
        try await sender.value

        let sent = ["alice": acknowledged.all]
        _ = try? await inbox.wait(for: acknowledged.count, timeout: 60)
        try await Task.sleep(for: .seconds(1))
        DeliveryCheck.verify(received: inbox.texts, acknowledged: sent, receiver: "bob")

        await alice.close()
        await bob.close()
        await a.stop()
        await b.stop()
        await database.drop()
    }
}
