import Foundation
import TacitStore
import Testing

@Suite("SQLite store: epoch claims in group commits")
struct GroupCommitEpochTests {
    @Test("claims of one epoch sharing a batch still have exactly one winner, answered after the commit")
    func claimsInOneBatch() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        let members = try await store.makeDevices(30, prefix: "member")
        let observer = try await store.makeAccount("observer")
        let group = Fixtures.randomBytes(16)
        let claim = GroupEpochClaim(groupID: group, epoch: 0, tokenHash: [], nextTokenHash: Fixtures.randomBytes(32))
        let wins = await withTaskGroup(of: Int.self) { tasks in
            for (index, member) in members.enumerated() {
                tasks.addTask {
                    var message = Fixtures.message(from: member.id, to: [observer.id], id: "c\(index)")
                    message.epochClaim = claim
                    do {
                        _ = try await store.enqueue(message)
                        // Answered only once durable: the entry is there for a reader.
                        let pending = try? await store.allPending(for: observer.id)
                        #expect(pending?.contains { $0.clientMessageID == message.clientMessageID } == true)
                        return 1
                    } catch {
                        #expect(error as? StoreError == .staleEpoch(current: 1))
                        return 0
                    }
                }
            }
            return await tasks.reduce(0, +)
        }
        #expect(wins == 1)
        let statistics = try await store.statistics()
        #expect(statistics.largestBatch > 1)
        #expect(statistics.queueEntries == 1)
        try await store.close()
    }
}
