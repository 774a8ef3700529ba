import TacitStore
import Testing

@Suite("Store conformance: concurrent senders")
struct ConcurrencyConformanceTests {
    @Test("50 devices sending 20 messages each at once: all stored, each sender's order kept",
          arguments: StoreBackend.all)
    func concurrentSenders(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let senderCount = 50
            let messagesPerSender = 20
            let senders = try await store.makeDevices(senderCount, prefix: "sender")
            let bob = try await store.makeAccount("bob")
            let carol = try await store.makeAccount("carol")

            let results = try await withThrowingTaskGroup(of: [EnqueueResult].self) { group in
                for (index, sender) in senders.enumerated() {
                    group.addTask {
                        // One device sends in sequence, awaiting each acknowledgement.
                        var results: [EnqueueResult] = []
                        for sequence in 0..<messagesPerSender {
                            results.append(try await store.enqueue(Fixtures.message(
                                from: sender.id, to: [bob.id, carol.id], id: "\(index)/\(sequence)")))
                        }
                        return results
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let total = senderCount * messagesPerSender
            #expect(results.count == total)
            #expect(results.allSatisfy { !$0.duplicate && $0.entries.count == 2 })
            #expect(Set(results.compactMap { $0.entries[bob.id] }).count == total)
            #expect(try await store.queueDepth() == 2 * total)

            for recipient in [bob, carol] {
                let pending = try await store.allPending(for: recipient.id, pageSize: 128)
                #expect(pending.count == total)
                #expect(pending.map(\.queueID) == pending.map(\.queueID).sorted())
                for (index, sender) in senders.enumerated() {
                    let ids = pending.filter { $0.sender == sender.id }
                        .map { String(decoding: $0.clientMessageID, as: UTF8.self) }
                    #expect(ids == (0..<messagesPerSender).map { "\(index)/\($0)" })
                }
            }
        }
    }

    @Test("failing sends among concurrent good ones do not disturb them", arguments: StoreBackend.all)
    func failuresAreIsolated(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let ghost = bob.id + 1000
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<60 {
                    group.addTask {
                        let recipients = index.isMultiple(of: 2) ? [bob.id] : [bob.id, ghost]
                        do {
                            _ = try await store.enqueue(Fixtures.message(from: alice.id, to: recipients,
                                                                         id: "m\(index)"))
                            return (index, true)
                        } catch {
                            #expect(error as? StoreError == .unknownRecipient(ghost))
                            return (index, false)
                        }
                    }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(outcomes.count == 60)
            #expect(outcomes.allSatisfy { $0.value == $0.key.isMultiple(of: 2) })
            let stored = try await store.allPending(for: bob.id).map { String(decoding: $0.clientMessageID, as: UTF8.self) }
            #expect(Set(stored) == Set((0..<60).filter { $0.isMultiple(of: 2) }.map { "m\($0)" }))
        }
    }

    @Test("enqueues and acknowledgements interleave without losing either", arguments: StoreBackend.all)
    func enqueueWhileAcknowledging(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let count = 200
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for index in 0..<count {
                        _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "m\(index)"))
                    }
                }
                group.addTask {
                    // Bob drains his queue as it fills, the way a connected device does.
                    var acknowledged = 0
                    while acknowledged < count {
                        let page = try await store.pending(for: bob.id, after: 0, limit: 50)
                        acknowledged += try await store.acknowledge(device: bob.id, queueIDs: page.map(\.queueID))
                        if page.isEmpty { await Task.yield() }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.queueDepth() == 0)
        }
    }
}
