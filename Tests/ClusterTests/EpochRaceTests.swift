import Crypto
import Foundation
import Synchronization
import Testing
import TacitClient
import TacitServer

/// Fault test (3): two members of a group send a commit for the same epoch at the same
/// moment, through two different nodes. The store decides in the enqueue's transaction:
/// exactly one commit per epoch is stored, the other sender is told `staleEpoch` with the
/// epoch the group moved to.
@Suite(.timeLimit(.minutes(3))) struct EpochRaceTests {
    /// The two outcomes of one round.
    enum Outcome: Sendable, Equatable {
        case won
        case stale(current: UInt64)
        case other(String)
    }

    /// A start line both senders wait at, so their commits leave together.
    final class Gate: Sendable {
        private let waiting = Mutex(0)
        func arriveAndWait(parties: Int) async {
            waiting.withLock { $0 += 1 }
            while waiting.withLock({ $0 }) < parties { await Task.yield() }
        }
    }

    /// The epoch token both members derive for `epoch` (in a real group, from the MLS exporter).
    static func token(_ epoch: UInt64) -> [UInt8] { Array(SHA256.hash(data: Array("token \(epoch)".utf8))) }
    static func tokenHash(_ epoch: UInt64) -> [UInt8] { Array(SHA256.hash(data: token(epoch))) }

    @Test("commits racing for one epoch through two nodes: exactly one wins each of 25 epochs")
    func oneCommitPerEpochAcrossNodes() async throws {
        let database = try await TestDatabase.create()
        let identity = ServerIdentity()
        let a = try await InProcessNode.start(database: database, identity: identity, nodeID: "a")
        let b = try await InProcessNode.start(database: database, identity: identity, nodeID: "b")
        let (alice, aliceDevice) = try await makeAccount("alice", server: a.url)
        let (carol, carolDevice) = try await makeAccount("carol", server: b.url)
        let (bob, bobDevice) = try await makeAccount("bob", server: a.url)
        let inbox = Inbox(bob)
        let group = Array("cluster-race-group".utf8)

        // Alice creates the group at epoch 0.
        try await alice.send(to: [bobDevice, carolDevice], body: Array("create".utf8),
                             epochClaim: EpochClaim(groupID: group, epoch: 0, epochToken: [],
                                                    nextTokenHash: Self.tokenHash(1)))
        let rounds: [UInt64] = Array(1...25)
        var wins = 0
        var stale = 0
        var others: [String] = []
        for epoch in rounds {
            let gate = Gate()
            let claim = EpochClaim(groupID: group, epoch: epoch, epochToken: Self.token(epoch),
                                   nextTokenHash: Self.tokenHash(epoch + 1))
            async let first = Self.commit(from: alice, name: "alice", epoch: epoch, to: [bobDevice, carolDevice],
                                          claim: claim, gate: gate)
            async let second = Self.commit(from: carol, name: "carol", epoch: epoch, to: [bobDevice, aliceDevice],
                                           claim: claim, gate: gate)
            let outcomes = await [first, second]
            wins += outcomes.filter { $0 == .won }.count
            stale += outcomes.filter { $0 == .stale(current: epoch + 1) }.count
            others += outcomes.compactMap { outcome -> String? in
                if case .other(let text) = outcome { return text }
                return nil
            }
            #expect(outcomes.filter { $0 == .won }.count == 1, "epoch \(epoch): \(outcomes)")
        }
        #expect(wins == rounds.count)
        #expect(stale == rounds.count, "every loser told the epoch the group moved to")
        #expect(others.isEmpty, "\(others)")

        // Bob, a member on node a, gets the creation and exactly one commit per epoch.
        try await inbox.wait(for: 1 + rounds.count, timeout: 20)
        try await Task.sleep(for: .milliseconds(500))
        let commits = inbox.texts.dropFirst().map { $0.split(separator: " ").last.map(String.init) ?? "" }
        #expect(inbox.texts.first == "create")
        #expect(commits == rounds.map(String.init))

        for client in [alice, carol, bob] { await client.close() }
        await a.stop()
        await b.stop()
        await database.drop()
    }

    static func commit(from client: TacitClient, name: String, epoch: UInt64, to recipients: [DeviceID],
                       claim: EpochClaim, gate: Gate) async -> Outcome {
        await gate.arriveAndWait(parties: 2)
        do {
            try await client.send(to: recipients, body: Array("\(name) commit \(epoch)".utf8), epochClaim: claim)
            return .won
        } catch ClientError.server(let error) {
            if case .staleEpoch(let current) = error.code { return .stale(current: current) }
            return .other("\(error)")
        } catch {
            return .other("\(error)")
        }
    }
}
