import Foundation
import Logging
import Synchronization
import Testing
@testable import TacitServer
import TacitStore

@Suite struct ClusterMessageCodecTests {
    @Test("wakeups, claims and revocations survive encoding", arguments: [
        ClusterMessage.wake([1, 35, 36, UInt64.max]),
        .claim([ConnectionClaim(device: 7, sequence: 1), ConnectionClaim(device: .max, sequence: .max)]),
        .revoke([42]),
    ])
    func roundTrip(message: ClusterMessage) throws {
        let payloads = ClusterMessageCodec.encode(message, sender: "node-1~abc")
        #expect(payloads.count == 1)
        let decoded = try #require(ClusterMessageCodec.decode(payloads[0]))
        #expect(decoded == ReceivedClusterMessage(sender: "node-1~abc", message: message))
    }

    @Test("a long list is split into payloads under PostgreSQL's 8000-byte limit, losing nothing")
    func splitsLongLists() throws {
        let devices = (0..<20_000).map { UInt64($0) * 7_919 + 1_000_000_000 }
        let payloads = ClusterMessageCodec.encode(.wake(devices), sender: "n~x")
        #expect(payloads.count > 1)
        #expect(payloads.allSatisfy { $0.utf8.count <= ClusterMessageCodec.maxPayloadBytes })
        var decoded: [DeviceID] = []
        for payload in payloads {
            guard case .wake(let part) = try #require(ClusterMessageCodec.decode(payload)).message else {
                Issue.record("not a wakeup")
                return
            }
            decoded += part
        }
        #expect(decoded == devices)
        // Compact: base 36 needs 7 characters for these ids, plus a comma.
        #expect(payloads.count <= 20_000 * 8 / 7_800 + 1)
    }

    @Test("nothing is published for an empty list")
    func emptyList() {
        #expect(ClusterMessageCodec.encode(.wake([]), sender: "n~x").isEmpty)
    }

    @Test("malformed or foreign payloads are ignored", arguments: [
        "", "t1", "t1 w n~x", "t2 w n~x 1", "t1 q n~x 1", "t1 w n~x 1,,2", "t1 w n~x -1", "t1 w n~x ZZ",
        "t1 w n~x 3w5e11264sgsg", "t1 c n~x 1", "t1 c n~x 1.2.3", "t1 w  1", "t1 w n~x 1 2",
    ])
    func malformed(payload: String) {
        #expect(ClusterMessageCodec.decode(payload) == nil)
    }

    @Test("node ids: derived from the host name, validated when given")
    func nodeIDs() throws {
        #expect(ClusterNode.derivedID(hostName: "web-1.example.org") == "web-1")
        #expect(ClusterNode.derivedID(hostName: "...") == "node")
        #expect(try ClusterNode(id: "eu_west.2-a").id == "eu_west.2-a")
        #expect(throws: ClusterNode.InvalidID.self) { try ClusterNode(id: "has space") }
        #expect(throws: ClusterNode.InvalidID.self) { try ClusterNode(id: "") }
        #expect(try ClusterNode(id: "x").sender != ClusterNode(id: "x").sender, "every start is a new instance")
    }
}

/// The PostgreSQL link itself, between two nodes' ``PostgresWakeups`` on one database.
@Suite(.timeLimit(.minutes(2))) struct PostgresWakeupsTests {
    final class Received: Sendable {
        private let events = Mutex<[ClusterEvent]>([])
        func append(_ event: ClusterEvent) { events.withLock { $0.append(event) } }
        var all: [ClusterEvent] { events.withLock { $0 } }
        var woken: [DeviceID] {
            all.flatMap { event -> [DeviceID] in
                if case .wake(let devices) = event { return devices }
                return []
            }
        }
    }

    @Test("5,000 wakeups cross in full; a node hears its own claims as its own and skips its own wakeups")
    func largeWakeupsAndOwnClaims() async throws {
        let database = try await TestDatabase.create()
        let endpoint = try database.endpoint
        var logger = Logger(label: "test.wakeups")
        logger.logLevel = .warning
        let first = PostgresWakeups(endpoint: endpoint, node: try ClusterNode(id: "one"), connectTimeout: .seconds(10),
                                    catchUpInterval: .seconds(5), logger: logger)
        let second = PostgresWakeups(endpoint: endpoint, node: try ClusterNode(id: "two"), connectTimeout: .seconds(10),
                                     catchUpInterval: .seconds(5), logger: logger)
        let heardByFirst = Received()
        let heardBySecond = Received()
        let runFirst = Task { await first.run { heardByFirst.append($0) } }
        let runSecond = Task { await second.run { heardBySecond.append($0) } }
        try await waitUntil("both links", timeout: 20) { first.isLinked && second.isLinked }
        #expect(heardByFirst.all.first == .resynchronize)

        let devices = (1...5_000).map { DeviceID($0) * 1_000_003 }
        first.publish(.wake(devices))
        first.publish(.claim([ConnectionClaim(device: 9, sequence: 4)]))
        try await waitUntil("every wakeup", timeout: 20) { Set(heardBySecond.woken) == Set(devices) }
        try await waitUntil("the claim on both", timeout: 20) {
            heardBySecond.all.contains(.claim(ConnectionClaim(device: 9, sequence: 4), own: false))
                && heardByFirst.all.contains(.claim(ConnectionClaim(device: 9, sequence: 4), own: true))
        }
        #expect(heardByFirst.woken.isEmpty, "a node's own wakeups are not delivered back to it")

        runFirst.cancel()
        runSecond.cancel()
        await runFirst.value
        await runSecond.value
        #expect(!first.isLinked)
        await database.drop()
    }
}
