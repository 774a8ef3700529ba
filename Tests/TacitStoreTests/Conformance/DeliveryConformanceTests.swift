import TacitStore
import Testing

@Suite("Store conformance: enqueue, pending and acknowledge")
struct DeliveryConformanceTests {
    @Test("queued messages come back in queue order with everything the sender sent",
          arguments: StoreBackend.all)
    func enqueueAndPending(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            var sent: [OutgoingMessage] = []
            var queueIDs: [QueueID] = []
            for index in 0..<5 {
                let message = Fixtures.message(from: alice.id, to: [bob.id], id: "m\(index)", at: index)
                let result = try await store.enqueue(message)
                #expect(!result.duplicate)
                #expect(result.entries.keys.sorted() == [bob.id])
                sent.append(message)
                queueIDs.append(try #require(result.entries[bob.id]))
            }
            #expect(queueIDs == queueIDs.sorted() && Set(queueIDs).count == 5)

            let pending = try await store.pending(for: bob.id, after: 0, limit: 100)
            #expect(pending.map(\.queueID) == queueIDs)
            for (entry, message) in zip(pending, sent) {
                #expect(entry.recipient == bob.id)
                #expect(entry.sender == alice.id)
                #expect(entry.senderUsername == "alice")
                #expect(entry.clientMessageID == message.clientMessageID)
                #expect(entry.body == message.body)
                #expect(entry.receivedAt == message.receivedAt)
            }
            #expect(try await store.pending(for: alice.id, after: 0, limit: 100).isEmpty)
        }
    }

    @Test("acknowledgements sharing batches release exactly the bodies nobody waits for any more",
          arguments: StoreBackend.all)
    func batchedAcknowledgementsReleaseFinishedBodies(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let members = try await store.makeDevices(50, prefix: "member")
            var sent: [EnqueueResult] = []
            for index in 0..<20 {
                sent.append(try await store.enqueue(Fixtures.message(from: alice.id, to: members.map(\.id), id: "g\(index)")))
            }
            // Every member acknowledges every message at once, except member 0 the first message.
            let results = sent
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for (memberIndex, member) in members.enumerated() {
                    for (messageIndex, result) in results.enumerated() where !(memberIndex == 0 && messageIndex == 0) {
                        let entry = try #require(result.entries[member.id])
                        group.addTask { try await store.acknowledge(device: member.id, queueIDs: [entry]) }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(counts.count == 999)
            #expect(counts.allSatisfy { $0 == 1 })
            var statistics = try await backend.factory.counts(of: store)
            #expect(statistics.largestBatch > 1)
            #expect(statistics.queueEntries == 1)
            #expect(statistics.storedBodies == 1)
            #expect(try await store.allPending(for: members[0].id).map(\.body) == [Array("body of g0".utf8)])
            let last = try #require(sent[0].entries[members[0].id])
            #expect(try await store.acknowledge(device: members[0].id, queueIDs: [last]) == 1)
            statistics = try await backend.factory.counts(of: store)
            #expect(statistics.queueEntries == 0)
            #expect(statistics.storedBodies == 0)
            #expect(statistics.messages == 20)
        }
    }

    @Test("the cursor and the limit page through a queue", arguments: StoreBackend.all)
    func paging(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            for index in 0..<7 {
                _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "m\(index)"))
            }
            let all = try await store.pending(for: bob.id, after: 0, limit: 100)
            let first = try await store.pending(for: bob.id, after: 0, limit: 3)
            let second = try await store.pending(for: bob.id, after: try #require(first.last).queueID, limit: 3)
            let rest = try await store.pending(for: bob.id, after: try #require(second.last).queueID, limit: 3)
            #expect(first + second + rest == all)
            #expect(rest.count == 1)
            #expect(try await store.pending(for: bob.id, after: try #require(all.last).queueID, limit: 3).isEmpty)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 0).isEmpty)
            #expect(try await store.pending(for: bob.id, after: 0, limit: -1).isEmpty)
            #expect(try await store.pending(for: bob.id, after: .max, limit: 10).isEmpty)
            #expect(try await store.allPending(for: bob.id, pageSize: 2) == all)
        }
    }

    @Test("a message to many devices reaches each of them", arguments: StoreBackend.all)
    func fanOut(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let recipients = try await store.makeDevices(100)
            let body = Fixtures.randomBytes(4096)
            let result = try await store.enqueue(Fixtures.message(from: alice.id, to: recipients.map(\.id),
                                                                  id: "hello all", body: body))
            #expect(result.entries.count == 100)
            #expect(Set(result.entries.values).count == 100)
            for recipient in recipients {
                let pending = try await store.pending(for: recipient.id, after: 0, limit: 10)
                #expect(pending.count == 1)
                #expect(pending.first?.body == body)
                #expect(pending.first?.queueID == result.entries[recipient.id])
            }
            #expect(try await store.queueDepth() == 100)
        }
    }

    @Test("a device can only acknowledge its own entries", arguments: StoreBackend.all)
    func acknowledgeOwnOnly(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let carol = try await store.makeAccount("carol")
            var bobsIDs: [QueueID] = []
            for index in 0..<3 {
                let result = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id, carol.id],
                                                                      id: "m\(index)"))
                bobsIDs.append(try #require(result.entries[bob.id]))
            }

            #expect(try await store.acknowledge(device: carol.id, queueIDs: bobsIDs) == 0)
            #expect(try await store.acknowledge(device: alice.id, queueIDs: bobsIDs) == 0)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).map(\.queueID) == bobsIDs)
            #expect(try await store.pending(for: carol.id, after: 0, limit: 10).count == 3)

            #expect(try await store.acknowledge(device: bob.id, queueIDs: [bobsIDs[0], bobsIDs[2], 999_999]) == 2)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).map(\.queueID) == [bobsIDs[1]])
            #expect(try await store.acknowledge(device: bob.id, queueIDs: bobsIDs + bobsIDs) == 1)
            #expect(try await store.acknowledge(device: bob.id, queueIDs: bobsIDs) == 0)
            #expect(try await store.acknowledge(device: bob.id, queueIDs: []) == 0)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).isEmpty)
            #expect(try await store.pending(for: carol.id, after: 0, limit: 10).count == 3)
        }
    }

    @Test("acknowledging a long list of entries at once", arguments: StoreBackend.all)
    func acknowledgeMany(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let ids = try await withThrowingTaskGroup(of: QueueID?.self) { group in
                for index in 0..<1200 {
                    group.addTask {
                        try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "m\(index)"))
                            .entries[bob.id]
                    }
                }
                return try await group.reduce(into: [QueueID]()) { if let id = $1 { $0.append(id) } }
            }.sorted()
            #expect(ids.count == 1200)
            #expect(try await store.acknowledge(device: bob.id, queueIDs: Array(ids.dropLast())) == 1199)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).map(\.queueID) == [ids[1199]])
        }
    }

    @Test("revoking a device drops its queue and later sends to it fail", arguments: StoreBackend.all)
    func revokeDropsQueue(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let bobTablet = try await store.addDevice(username: "bob", device: Fixtures.newDevice("tablet"),
                                                      deviceList: Fixtures.deviceList(version: 2),
                                                      replacingVersion: 1)
            for index in 0..<3 {
                _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id, bobTablet.id],
                                                             id: "m\(index)"))
            }
            #expect(try await store.queueDepth() == 6)

            try await store.revokeDevice(id: bobTablet.id, deviceList: Fixtures.deviceList(version: 3),
                                         replacingVersion: 2)
            #expect(try await store.pending(for: bobTablet.id, after: 0, limit: 10).isEmpty)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).count == 3)
            #expect(try await store.queueDepth() == 3)

            await #expect(throws: StoreError.unknownRecipient(bobTablet.id)) {
                try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id, bobTablet.id], id: "late"))
            }
            #expect(try await store.queueDepth() == 3)
        }
    }

    @Test("a message with an unknown recipient leaves nothing behind", arguments: StoreBackend.all)
    func unknownRecipient(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let ghost = bob.id + 1000
            let message = Fixtures.message(from: alice.id, to: [bob.id, ghost], id: "m1")

            await #expect(throws: StoreError.unknownRecipient(ghost)) { try await store.enqueue(message) }
            await #expect(throws: StoreError.unknownRecipient(.max)) {
                try await store.enqueue(Fixtures.message(from: alice.id, to: [.max], id: "m2"))
            }
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).isEmpty)
            #expect(try await store.queueDepth() == 0)

            // No idempotency record was kept either: the corrected send is a new message.
            var corrected = message
            corrected.recipients = [bob.id]
            let result = try await store.enqueue(corrected)
            #expect(!result.duplicate)
            #expect(try await store.pending(for: bob.id, after: 0, limit: 10).count == 1)
        }
    }

    @Test("an unknown or revoked sender cannot enqueue", arguments: StoreBackend.all)
    func unknownSender(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let bob = try await store.makeAccount("bob")
            _ = try await store.makeAccount("alice")
            let aliceTablet = try await store.addDevice(username: "alice", device: Fixtures.newDevice("tablet"),
                                                        deviceList: Fixtures.deviceList(version: 2),
                                                        replacingVersion: 1)
            try await store.revokeDevice(id: aliceTablet.id, deviceList: Fixtures.deviceList(version: 3),
                                         replacingVersion: 2)
            await #expect(throws: StoreError.notFound) {
                try await store.enqueue(Fixtures.message(from: aliceTablet.id, to: [bob.id], id: "m1"))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.enqueue(Fixtures.message(from: bob.id + 1000, to: [bob.id], id: "m2"))
            }
            #expect(try await store.queueDepth() == 0)
        }
    }

    @Test("queue depth counts entries of every device", arguments: StoreBackend.all)
    func queueDepth(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let carol = try await store.makeAccount("carol")
            #expect(try await store.queueDepth() == 0)
            let first = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id, carol.id], id: "1"))
            _ = try await store.enqueue(Fixtures.message(from: bob.id, to: [alice.id], id: "2"))
            #expect(try await store.queueDepth() == 3)
            try await store.acknowledge(device: carol.id, queueIDs: Array(first.entries.values))
            #expect(try await store.queueDepth() == 2)
        }
    }

    @Test("empty bodies and ids are kept as empty, repeated recipients get one entry",
          arguments: StoreBackend.all)
    func edgeValues(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let message = OutgoingMessage(sender: alice.id, clientMessageID: [], recipients: [bob.id, bob.id],
                                          body: [], receivedAt: Fixtures.date(0))
            let result = try await store.enqueue(message)
            #expect(result.entries.count == 1)
            let pending = try await store.pending(for: bob.id, after: 0, limit: 10)
            #expect(pending.count == 1)
            #expect(pending.first?.body == [])
            #expect(pending.first?.clientMessageID == [])
            #expect(try await store.enqueue(message).duplicate)

            let nobody = try await store.enqueue(Fixtures.message(from: alice.id, to: [], id: "to nobody"))
            #expect(nobody.entries.isEmpty && !nobody.duplicate)
            #expect(try await store.queueDepth() == 1)
        }
    }

    @Test("sends from one device keep their order among other senders' sends", arguments: StoreBackend.all)
    func perSenderOrder(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let senders = try await store.makeDevices(3, prefix: "sender")
            let bob = try await store.makeAccount("bob")
            for round in 0..<10 {
                for (index, sender) in senders.enumerated() {
                    _ = try await store.enqueue(Fixtures.message(from: sender.id, to: [bob.id],
                                                                 id: "s\(index)-\(round)"))
                }
            }
            let pending = try await store.allPending(for: bob.id)
            for (index, sender) in senders.enumerated() {
                let ids = pending.filter { $0.sender == sender.id }.map { String(decoding: $0.clientMessageID, as: UTF8.self) }
                #expect(ids == (0..<10).map { "s\(index)-\($0)" })
            }
        }
    }
}
