import Benchmark
import Synchronization
import Foundation
import TacitStore

/// The SQLite store's group commit: concurrent enqueues that the writer gathers into one
/// transaction (one fsync with the default durability), then the recipient's one
/// acknowledgement of all of them — what a burst of sends costs the store.
func storeCommitBenchmarks() {
    for (label, durability) in [("full", SQLiteStore.Durability.full), ("normal", .normal)] {
        Benchmark("SQLite batch commit: 64 concurrent enqueues + 1 ack of 64 (synchronous \(label))",
                  configuration: BenchmarkSettings.store) { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                let queueIDs = try await fixture.enqueueConcurrently(64)
                blackHole(try await fixture.store.acknowledge(device: fixture.recipient, queueIDs: queueIDs))
            }
        } setup: {
            try await StoreFixture(durability: durability)
        } teardown: {
            try? await StoreFixture.removeAll()
        }
    }
    Benchmark("SQLite enqueue, one at a time (synchronous full)", configuration: BenchmarkSettings.store) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            blackHole(try await fixture.enqueueConcurrently(1))
        }
    } setup: {
        try await StoreFixture(durability: .full)
    } teardown: {
        try? await StoreFixture.removeAll()
    }
}

/// A fresh SQLite file in a temporary directory with two accounts: a sender and a recipient.
final class StoreFixture: Sendable {
    let store: SQLiteStore
    let sender: DeviceID
    let recipient: DeviceID
    private let counter = Counter()

    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-server-benchmarks").path

    init(durability: SQLiteStore.Durability) async throws {
        let path = (Self.directory as NSString).appendingPathComponent("\(UUID().uuidString).sqlite")
        store = try SQLiteStore(path: path, configuration: .init(durability: durability))
        sender = try await Self.account("sender", in: store)
        recipient = try await Self.account("recipient", in: store)
    }

    static func removeAll() async throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    private static func account(_ username: String, in store: SQLiteStore) async throws -> DeviceID {
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
        let device = NewDevice(identityKey: key, name: "bench", createdAt: Date())
        return try await store.createAccount(username: username, device: device,
                                             deviceList: StoredDeviceList(version: 1, signedList: [1, 2, 3])).id
    }

    /// Enqueues `count` 64-byte messages from the sender to the recipient at once; returns their queue ids.
    func enqueueConcurrently(_ count: Int) async throws -> [QueueID] {
        let first = counter.take(count)
        let store = store
        let sender = sender
        let recipient = recipient
        return try await withThrowingTaskGroup(of: QueueID?.self) { group in
            for index in first..<(first + count) {
                group.addTask {
                    var id = [UInt8](repeating: 0, count: 16)
                    for byte in 0..<8 { id[byte] = UInt8(truncatingIfNeeded: index >> (8 * byte)) }
                    let message = OutgoingMessage(sender: sender, clientMessageID: id, recipients: [recipient],
                                                  body: [UInt8](repeating: 0x2e, count: 64), receivedAt: Date())
                    return try await store.enqueue(message).entries[recipient]
                }
            }
            var ids: [QueueID] = []
            for try await id in group { if let id { ids.append(id) } }
            return ids
        }
    }
}

/// Client message ids unique within a run.
final class Counter: Sendable {
    private let next = Mutex(0)

    func take(_ count: Int) -> Int {
        next.withLock { value in
            defer { value += count }
            return value
        }
    }
}
