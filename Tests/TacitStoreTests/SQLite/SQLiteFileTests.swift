import Foundation
import TacitStore
import Testing

@Suite("SQLite store: files, durability and crash safety")
struct SQLiteFileTests {
    private static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test("the directory is created and the database files are private to their owner")
    func fileModes() async throws {
        let path = SQLiteStoreFactory.freshPath()
        defer { SQLiteStoreFactory.removeDirectory(of: path) }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(!FileManager.default.fileExists(atPath: directory))

        let store = try SQLiteStore(path: path)
        let alice = try await store.makeAccount("alice")
        _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [alice.id], id: "note to self"))

        #expect(try Self.mode(directory) == 0o700)
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file)")
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
        try await store.close()
    }

    @Test("an existing database file with loose permissions is tightened on open")
    func tightensExistingFile() async throws {
        let path = SQLiteStoreFactory.freshPath()
        defer { SQLiteStoreFactory.removeDirectory(of: path) }
        try await SQLiteStore(path: path).close()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)

        let store = try SQLiteStore(path: path)
        #expect(try Self.mode(path) == 0o600)
        try await store.close()
    }

    @Test("the writer fsyncs every commit by default (synchronous = FULL)")
    func durabilityDefault() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        #expect(try await store.writerDurability() == .full)
        try await store.close()

        var configuration = SQLiteStore.Configuration()
        configuration.durability = .normal
        let relaxed = try SQLiteStore(path: store.path, configuration: configuration)
        #expect(try await relaxed.writerDurability() == .normal)
        try await relaxed.close()
    }

    @Test("an acknowledged enqueue is in the files at once, as a killed process would leave them")
    func survivesProcessDeath() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        let copyPath = SQLiteStoreFactory.freshPath()
        defer {
            SQLiteStoreFactory.removeDirectory(of: store.path)
            SQLiteStoreFactory.removeDirectory(of: copyPath)
        }
        let alice = try await store.makeAccount("alice")
        let bob = try await store.makeAccount("bob")
        let result = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "durable"))

        // Snapshot the files while the store is still open and never closed: what a
        // `kill -9` right after the acknowledgement would leave on disk.
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: copyPath).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: store.path + suffix, toPath: copyPath + suffix)
        }
        let survivor = try SQLiteStore(path: copyPath)
        let pending = try await survivor.pending(for: bob.id, after: 0, limit: 10)
        #expect(pending.map(\.queueID) == [try #require(result.entries[bob.id])])
        try await survivor.close()
        try await store.close()
    }

    @Test("a message to many devices stores its body once")
    func bodyStoredOnce() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        let alice = try await store.makeAccount("alice")
        let recipients = try await store.makeDevices(64)
        let body = Fixtures.randomBytes(256 * 1024)
        let result = try await store.enqueue(Fixtures.message(from: alice.id, to: recipients.map(\.id),
                                                              id: "big", body: body))

        var statistics = try await store.statistics()
        #expect(statistics.messages == 1)
        #expect(statistics.storedBodies == 1)
        #expect(statistics.storedBodyBytes == body.count)
        #expect(statistics.queueEntries == 64)

        // Acknowledged by all but one: the body stays for the last one.
        for recipient in recipients.dropLast() {
            try await store.acknowledge(device: recipient.id, queueIDs: [try #require(result.entries[recipient.id])])
        }
        statistics = try await store.statistics()
        #expect(statistics.storedBodies == 1)
        #expect(statistics.queueEntries == 1)

        // Acknowledged by all: the body goes, the idempotency record stays.
        let last = try #require(recipients.last)
        try await store.acknowledge(device: last.id, queueIDs: [try #require(result.entries[last.id])])
        statistics = try await store.statistics()
        #expect(statistics.messages == 1)
        #expect(statistics.storedBodies == 0)
        #expect(statistics.storedBodyBytes == 0)
        try await store.close()

        // 64 copies would be 16 MiB; one copy plus freed pages stays far below 2 MiB.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int)
        #expect(size < 2 * 1024 * 1024)
    }

    @Test("revoking the last recipient of a message frees its body")
    func revokeFreesBody() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        let alice = try await store.makeAccount("alice")
        _ = try await store.makeAccount("bob")
        let tablet = try await store.addDevice(username: "bob", device: Fixtures.newDevice("tablet"),
                                               deviceList: Fixtures.deviceList(version: 2), replacingVersion: 1)
        _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [tablet.id], id: "m"))
        try await store.revokeDevice(id: tablet.id, deviceList: Fixtures.deviceList(version: 3), replacingVersion: 2)
        let statistics = try await store.statistics()
        #expect(statistics.storedBodies == 0)
        #expect(statistics.messages == 1)
        try await store.close()
    }

    @Test("expiry removes message records entirely")
    func expiryRemovesRecords() async throws {
        let store = try SQLiteStoreFactory().makeSQLiteStore()
        defer { SQLiteStoreFactory.removeDirectory(of: store.path) }
        let alice = try await store.makeAccount("alice")
        let bob = try await store.makeAccount("bob")
        let acked = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "a", at: 0))
        _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "b", at: 1))
        _ = try await store.enqueue(Fixtures.message(from: alice.id, to: [bob.id], id: "c", at: 100))
        try await store.acknowledge(device: bob.id, queueIDs: Array(acked.entries.values))
        #expect(try await store.statistics().messages == 3)

        #expect(try await store.expire(before: Fixtures.date(50)) == 1)
        let statistics = try await store.statistics()
        #expect(statistics.messages == 1)
        #expect(statistics.storedBodies == 1)
        #expect(statistics.queueEntries == 1)
        try await store.close()
    }
}
