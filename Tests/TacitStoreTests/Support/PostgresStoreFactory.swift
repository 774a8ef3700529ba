import Foundation
import Logging
import TacitStore

/// PostgreSQL stores, each on a database of its own (created with a random name, dropped
/// afterwards), so tests run in parallel on one server.
///
/// The server comes from `TACIT_TEST_DATABASE_URL` (`scripts/postgres start` makes one and
/// `scripts/test` exports it). Without it every PostgreSQL test fails, saying so: the
/// PostgreSQL backend is never skipped silently.
struct PostgresStoreFactory: StoreFactory {
    static let environmentVariable = "TACIT_TEST_DATABASE_URL"

    /// Small pools: many tests hold a store at once.
    var poolSize = 4
    var configure: @Sendable (inout PostgresStore.Configuration) -> Void = { _ in }

    /// `TACIT_TEST_POSTGRES_LOG_LEVEL=trace` shows what the stores and postgres-nio do.
    static let logger: Logger = {
        var logger = Logger(label: "tacit.store")
        if let name = ProcessInfo.processInfo.environment["TACIT_TEST_POSTGRES_LOG_LEVEL"],
           let level = Logger.Level(rawValue: name) {
            logger.logLevel = level
        }
        return logger
    }()

    struct MissingServer: Error, CustomStringConvertible {
        var description: String {
            """
            \(PostgresStoreFactory.environmentVariable) is not set, so the PostgreSQL store cannot be tested. \
            Start a throwaway server with `scripts/postgres start /tmp/tacit-pg.env`, then run \
            `env $(cat /tmp/tacit-pg.env) swift test` (scripts/test does both).
            """
        }
    }

    struct ForeignStore: Error {}

    /// The server the test databases are made on (its URL names an existing database, such
    /// as `postgres`, to connect to for CREATE DATABASE).
    static func serverEndpoint() throws -> PostgresEndpoint {
        guard let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty else {
            throw MissingServer()
        }
        return try PostgresEndpoint(url: url)
    }

    func makeStore() async throws -> any TacitStore {
        try await makePostgresStore()
    }

    func makePostgresStore() async throws -> PostgresStore {
        try await openStore(on: try makeDatabase())
    }

    /// A fresh, empty database; the caller drops it with ``dropDatabase(of:)``.
    func makeDatabase() async throws -> PostgresEndpoint {
        let server = try Self.serverEndpoint()
        let name = "tacit_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: server)
        return server.with(database: name)
    }

    func openStore(on database: PostgresEndpoint) async throws -> PostgresStore {
        var configuration = PostgresStore.Configuration(endpoint: database, poolSize: poolSize,
                                                        logger: Self.logger)
        configure(&configuration)
        do {
            return try await PostgresStore(configuration: configuration)
        } catch {
            await dropDatabase(of: database)
            throw error
        }
    }

    func reopen(_ store: any TacitStore) async throws -> any TacitStore {
        guard let store = store as? PostgresStore else { throw ForeignStore() }
        return try await PostgresStore(configuration: store.configuration)
    }

    func destroy(_ store: any TacitStore) async {
        try? await store.close()
        guard let store = store as? PostgresStore else { return }
        await dropDatabase(of: store.configuration.endpoint)
    }

    func counts(of store: any TacitStore) async throws -> StoreCounts {
        guard let store = store as? PostgresStore else { throw ForeignStore() }
        let statistics = try await store.statistics()
        return StoreCounts(messages: statistics.messages, storedBodies: statistics.storedBodies,
                           queueEntries: statistics.queueEntries, largestBatch: statistics.largestBatch)
    }

    func dropDatabase(of database: PostgresEndpoint) async {
        guard let server = try? Self.serverEndpoint() else { return }
        try? await PostgresDatabases.drop(database.database, on: server)
    }
}
