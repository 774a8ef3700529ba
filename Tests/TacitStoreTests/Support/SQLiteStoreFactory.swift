import Foundation
import TacitStore

/// SQLite stores on real files, each in a new directory under the system temp directory.
struct SQLiteStoreFactory: StoreFactory {
    var configuration = SQLiteStore.Configuration()

    func makeStore() async throws -> any TacitStore {
        try SQLiteStore(path: Self.freshPath(), configuration: configuration)
    }

    func makeSQLiteStore() throws -> SQLiteStore {
        try SQLiteStore(path: Self.freshPath(), configuration: configuration)
    }

    func reopen(_ store: any TacitStore) async throws -> any TacitStore {
        guard let store = store as? SQLiteStore else { throw FactoryError.foreignStore }
        return try SQLiteStore(path: store.path, configuration: configuration)
    }

    func destroy(_ store: any TacitStore) async {
        try? await store.close()
        guard let store = store as? SQLiteStore else { return }
        Self.removeDirectory(of: store.path)
    }

    func counts(of store: any TacitStore) async throws -> StoreCounts {
        guard let store = store as? SQLiteStore else { throw FactoryError.foreignStore }
        let statistics = try await store.statistics()
        return StoreCounts(messages: statistics.messages, storedBodies: statistics.storedBodies,
                           queueEntries: statistics.queueEntries, largestBatch: statistics.largestBatch)
    }

    /// A database path in a directory that does not exist yet (the store creates it).
    static func freshPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-store-tests", isDirectory: true)
            .appendingPathComponent(UUID().uuidString, isDirectory: true)
            .appendingPathComponent("store.sqlite").path
    }

    static func removeDirectory(of path: String) {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    enum FactoryError: Error {
        case foreignStore
    }
}
