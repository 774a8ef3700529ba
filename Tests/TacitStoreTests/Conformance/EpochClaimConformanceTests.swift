import Foundation
import TacitStore
import Testing

@Suite("Store conformance: one commit per epoch, dispatches")
struct EpochClaimConformanceTests {
    static func token(_ epoch: UInt64) -> [UInt8] { Array("token-hash-\(epoch)".utf8) }

    static func claim(_ group: [UInt8], epoch: UInt64, tokenHash: [UInt8]? = nil) -> GroupEpochClaim {
        GroupEpochClaim(groupID: group, epoch: epoch, tokenHash: tokenHash ?? token(epoch), nextTokenHash: token(epoch + 1))
    }

    static func commit(from sender: DeviceID, to recipients: [DeviceID], id: String, claim: GroupEpochClaim,
                       additional: [MessageDispatch] = []) -> OutgoingMessage {
        var message = Fixtures.message(from: sender, to: recipients, id: id)
        message.epochClaim = claim
        message.additional = additional
        return message
    }

    @Test("a group starts at epoch 0 and moves one epoch per winning claim", arguments: StoreBackend.all)
    func advance(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let group = Fixtures.randomBytes(16)
            for epoch in UInt64(0)..<4 {
                let result = try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "c\(epoch)",
                                                                 claim: Self.claim(group, epoch: epoch)))
                #expect(!result.duplicate)
            }
            await #expect(throws: StoreError.staleEpoch(current: 4)) {
                try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "late",
                                                    claim: Self.claim(group, epoch: 2)))
            }
            #expect(try await store.allPending(for: bob.id).count == 4)
        }
    }

    @Test("an unknown group is accepted only at epoch 0", arguments: StoreBackend.all)
    func unknownGroup(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            await #expect(throws: StoreError.unknownGroup) {
                try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "c",
                                                    claim: Self.claim(Fixtures.randomBytes(16), epoch: 3)))
            }
            #expect(try await store.queueDepth() == 0)
        }
    }

    @Test("of 20 concurrent claims of one epoch exactly one wins; the others learn the new epoch",
          arguments: StoreBackend.all)
    func oneWinner(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let senders = try await store.makeDevices(20, prefix: "member")
            let observer = try await store.makeAccount("observer")
            let group = Fixtures.randomBytes(32)
            // Epoch 0 and 1 are settled first, so the race is on a known group (epoch 2) …
            _ = try await store.enqueue(Self.commit(from: senders[0].id, to: [observer.id], id: "e0",
                                                    claim: Self.claim(group, epoch: 0)))
            _ = try await store.enqueue(Self.commit(from: senders[0].id, to: [observer.id], id: "e1",
                                                    claim: Self.claim(group, epoch: 1)))
            let known = await Self.race(store, senders: senders, observer: observer.id, group: group, epoch: 2)
            #expect(known.wins == 1)
            #expect(known.stale == [UInt64](repeating: 3, count: senders.count - 1))
            // … and on a new one (two first claims race on creating its record).
            let fresh = Fixtures.randomBytes(32)
            let outcomes = await Self.race(store, senders: senders, observer: observer.id, group: fresh, epoch: 0)
            #expect(outcomes.wins == 1)
            #expect(outcomes.stale == [UInt64](repeating: 1, count: senders.count - 1))
            #expect(try await store.allPending(for: observer.id).count == 4)
        }
    }

    static func race(_ store: any TacitStore, senders: [DeviceRecord], observer: DeviceID, group: [UInt8],
                     epoch: UInt64) async -> (wins: Int, stale: [UInt64]) {
        await withTaskGroup(of: Result<Bool, StoreError>.self) { tasks in
            for (index, sender) in senders.enumerated() {
                tasks.addTask {
                    do {
                        let result = try await store.enqueue(Self.commit(from: sender.id, to: [observer],
                                                                         id: "race-\(epoch)-\(index)",
                                                                         claim: Self.claim(group, epoch: epoch)))
                        return .success(!result.duplicate)
                    } catch let error as StoreError {
                        return .failure(error)
                    } catch {
                        return .failure(.unavailable("\(error)"))
                    }
                }
            }
            var wins = 0
            var stale: [UInt64] = []
            for await outcome in tasks {
                switch outcome {
                case .success(true): wins += 1
                case .failure(.staleEpoch(let current)): stale.append(current)
                default: Issue.record("unexpected outcome \(outcome)")
                }
            }
            return (wins, stale)
        }
    }

    @Test("a wrong token cannot advance a group, and stores nothing", arguments: StoreBackend.all)
    func wrongToken(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let mallory = try await store.makeAccount("mallory")
            let bob = try await store.makeAccount("bob")
            let group = Fixtures.randomBytes(16)
            _ = try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "c0",
                                                    claim: Self.claim(group, epoch: 0)))
            await #expect(throws: StoreError.epochTokenMismatch) {
                try await store.enqueue(Self.commit(from: mallory.id, to: [bob.id], id: "evil",
                                                    claim: Self.claim(group, epoch: 1, tokenHash: Fixtures.randomBytes(32))))
            }
            // The group did not move: the member's claim of epoch 1 still wins.
            _ = try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "c1",
                                                    claim: Self.claim(group, epoch: 1)))
            #expect(try await store.allPending(for: bob.id).map { String(decoding: $0.clientMessageID, as: UTF8.self) }
                        == ["c0", "c1"])
        }
    }

    @Test("a retry of a winning claim is a duplicate, even after the epoch moved on", arguments: StoreBackend.all)
    func retryAfterWin(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let group = Fixtures.randomBytes(16)
            let commit = Self.commit(from: alice.id, to: [bob.id], id: "c0", claim: Self.claim(group, epoch: 0))
            let first = try await store.enqueue(commit)
            _ = try await store.enqueue(Self.commit(from: bob.id, to: [alice.id], id: "c1",
                                                    claim: Self.claim(group, epoch: 1)))
            let retry = try await store.enqueue(commit)
            #expect(retry.duplicate)
            #expect(retry.entries == first.entries)
            #expect(try await store.allPending(for: bob.id).count == 1)
        }
    }

    @Test("dispatches are stored with the message, each body for its own recipients", arguments: StoreBackend.all)
    func dispatches(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let carol = try await store.makeAccount("carol")
            let dave = try await store.makeAccount("dave")
            let message = Self.commit(from: alice.id, to: [bob.id], id: "add", claim: Self.claim(Fixtures.randomBytes(8), epoch: 0),
                                      additional: [MessageDispatch(recipients: [carol.id, dave.id], body: [7, 7])])
            let result = try await store.enqueue(message)
            #expect(Set(result.entries.keys) == [bob.id, carol.id, dave.id])
            #expect(try await store.allPending(for: bob.id).map(\.body) == [message.body])
            let carolEntry = try #require(try await store.allPending(for: carol.id).first)
            #expect(carolEntry.body == [7, 7])
            #expect(carolEntry.clientMessageID == message.clientMessageID)
            #expect(carolEntry.sender == alice.id)

            // Bodies go once nobody needs them; the dispatch stays for Dave until he acknowledges.
            try await store.acknowledge(device: carol.id, queueIDs: [carolEntry.queueID])
            try await store.acknowledge(device: bob.id, queueIDs: [try #require(result.entries[bob.id])])
            #expect(try await store.allPending(for: dave.id).map(\.body) == [[7, 7]])
            let retry = try await store.enqueue(message)
            #expect(retry.duplicate)
            #expect(retry.entries == [dave.id: try #require(result.entries[dave.id])])
        }
    }

    @Test("a message and its dispatches are stored all or nothing", arguments: StoreBackend.all)
    func allOrNothing(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let carol = try await store.makeAccount("carol")
            let ghost = carol.id + 1000
            let group = Fixtures.randomBytes(16)
            // An unknown recipient of a dispatch fails the whole send and the claim.
            await #expect(throws: StoreError.unknownRecipient(ghost)) {
                try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "c0",
                                                    claim: Self.claim(group, epoch: 0),
                                                    additional: [MessageDispatch(recipients: [carol.id, ghost], body: [1])]))
            }
            // A losing claim stores no dispatch.
            _ = try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "c0b", claim: Self.claim(group, epoch: 0)))
            await #expect(throws: StoreError.staleEpoch(current: 1)) {
                try await store.enqueue(Self.commit(from: bob.id, to: [alice.id], id: "c0c",
                                                    claim: Self.claim(group, epoch: 0),
                                                    additional: [MessageDispatch(recipients: [carol.id], body: [2])]))
            }
            // Overlapping recipient sets are refused.
            await #expect(throws: StoreError.invalidRequest("device \(bob.id) is a recipient of two parts of one message")) {
                try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "c1",
                                                    claim: Self.claim(group, epoch: 1),
                                                    additional: [MessageDispatch(recipients: [bob.id], body: [3])]))
            }
            #expect(try await store.allPending(for: carol.id).isEmpty)
            #expect(try await store.allPending(for: alice.id).isEmpty)
            #expect(try await store.allPending(for: bob.id).count == 1)
            // The failed ids were not taken: sending them again works.
            _ = try await store.enqueue(Self.commit(from: alice.id, to: [bob.id], id: "c1",
                                                    claim: Self.claim(group, epoch: 1),
                                                    additional: [MessageDispatch(recipients: [carol.id], body: [3])]))
            #expect(try await store.allPending(for: carol.id).map(\.body) == [[3]])
        }
    }

    @Test("claims and plain sends in one batch: one winner per epoch, plain sends unaffected",
          arguments: StoreBackend.all)
    func mixedBatch(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let members = try await store.makeDevices(10, prefix: "m")
            let observer = try await store.makeAccount("observer")
            let groups = (0..<3).map { _ in Fixtures.randomBytes(16) }
            let outcomes = await withTaskGroup(of: Int.self) { tasks in
                for (index, member) in members.enumerated() {
                    for (g, group) in groups.enumerated() {
                        tasks.addTask {
                            let claimed = try? await store.enqueue(Self.commit(
                                from: member.id, to: [observer.id], id: "g\(g)-\(index)",
                                claim: Self.claim(group, epoch: 0)))
                            return claimed == nil ? 0 : 1
                        }
                    }
                    tasks.addTask {
                        let plain = try? await store.enqueue(Fixtures.message(from: member.id, to: [observer.id],
                                                                              id: "plain-\(index)"))
                        return plain == nil ? -1000 : 0
                    }
                }
                return await tasks.reduce(0, +)
            }
            #expect(outcomes == groups.count)
            #expect(try await store.allPending(for: observer.id).count == groups.count + members.count)
        }
    }
}
