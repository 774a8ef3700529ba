@testable import TacitStore
import Testing

@Suite("PostgreSQL store: schema migrations")
struct PostgresMigrationTests {
    let factory = PostgresStoreFactory()

    @Test("eight nodes starting at once on a fresh database migrate it exactly once")
    func concurrentStartup() async throws {
        let database = try await factory.makeDatabase()
        let configuration = PostgresNodes.configuration(for: database, factory)
        let outcomes = await withTaskGroup(of: Result<PostgresStore, any Error>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do { return .success(try await PostgresStore(configuration: configuration)) }
                    catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let stores = outcomes.compactMap { try? $0.get() }
        do {
            for case .failure(let error) in outcomes { Issue.record(error, "a node failed to start") }
            #expect(stores.count == 8)
            for store in stores {
                #expect(try await store.schemaVersions() == PostgresMigrator.migrations.map { Int($0.version) })
            }
            // They share one database: what one node writes, every other reads.
            let alice = try await #require(stores.first).makeAccount("alice")
            for store in stores { #expect(try await store.device(id: alice.id) == alice) }
        } catch {
            Issue.record(error)
        }
        for store in stores { try? await store.close() }
        await factory.dropDatabase(of: database)
    }

    @Test("reopening runs no migration twice and keeps the data")
    func reopen() async throws {
        let store = try await factory.makePostgresStore()
        let alice = try await store.makeAccount("alice")
        try await store.close()
        let reopened = try await PostgresStore(configuration: store.configuration)
        #expect(try await reopened.schemaVersions() == PostgresMigrator.migrations.map { Int($0.version) })
        #expect(try await reopened.device(id: alice.id) == alice)
        await factory.destroy(reopened)
    }

    @Test("a database migrated by a newer build is refused")
    func newerSchema() async throws {
        let database = try await factory.makeDatabase()
        let configuration = PostgresNodes.configuration(for: database, factory)
        let future = PostgresMigration(version: 99, name: "v99-from-the-future", statements: [
            "CREATE TABLE from_the_future (id integer)",
        ])
        do {
            try await PostgresDirectConnection.with(configuration) { connection in
                try await PostgresMigrator.migrate(connection, migrations: PostgresMigrator.migrations + [future],
                                                   logger: configuration.logger)
            }
            await #expect {
                try await PostgresStore(configuration: configuration)
            } throws: { error in
                guard case StoreError.unavailable(let reason) = error else { return false }
                return reason.contains("newer Tacit build")
            }
        } catch {
            Issue.record(error)
        }
        await factory.dropDatabase(of: database)
    }
}
