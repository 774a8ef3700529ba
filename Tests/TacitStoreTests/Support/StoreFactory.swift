import TacitStore
import Testing

/// What the conformance suite needs from a storage backend.
///
/// The suite is written once against ``TacitStore``; a backend joins it by adding a
/// factory to ``StoreBackend/all``.
protocol StoreFactory: Sendable {
    /// Opens a store on fresh, empty storage of its own.
    func makeStore() async throws -> any TacitStore
    /// Opens the storage of `store` again, after `store` was closed.
    func reopen(_ store: any TacitStore) async throws -> any TacitStore
    /// Closes `store` if needed and deletes its storage.
    func destroy(_ store: any TacitStore) async
    /// What `store` keeps, from its own statistics.
    func counts(of store: any TacitStore) async throws -> StoreCounts
}

/// A backend the conformance suite runs against (one test case per backend).
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let factory: any StoreFactory

    var testDescription: String { name }

    static let all: [StoreBackend] = [
        StoreBackend(name: "SQLite", factory: SQLiteStoreFactory()),
        StoreBackend(name: "PostgreSQL", factory: PostgresStoreFactory()),
    ]

    /// Runs `body` with a fresh store and cleans up afterwards, also when `body` throws.
    func withStore<T>(_ body: (any TacitStore) async throws -> T) async throws -> T {
        let store = try await factory.makeStore()
        do {
            let result = try await body(store)
            await factory.destroy(store)
            return result
        } catch {
            await factory.destroy(store)
            throw error
        }
    }
}
