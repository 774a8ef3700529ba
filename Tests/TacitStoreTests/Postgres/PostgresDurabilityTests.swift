@testable import TacitStore
import Testing

@Suite("PostgreSQL store: durability settings")
struct PostgresDurabilityTests {
    let factory = PostgresStoreFactory()

    @Test("a database whose default is synchronous_commit = off still gets durable commits")
    func synchronousCommitOff() async throws {
        let database = try await factory.makeDatabase()
        do {
            try await PostgresDatabases.setDefault("synchronous_commit", to: "off", database: database.database,
                                                   on: try PostgresStoreFactory.serverEndpoint())
            let store = try await PostgresStore(configuration: PostgresNodes.configuration(for: database, factory))
            #expect(try await store.synchronousCommit() == "on")
            try await store.close()
        } catch {
            Issue.record(error)
        }
        await factory.dropDatabase(of: database)
    }

    @Test("a stricter setting of the server is kept")
    func stricterSettingKept() async throws {
        let database = try await factory.makeDatabase()
        do {
            try await PostgresDatabases.setDefault("synchronous_commit", to: "remote_apply", database: database.database,
                                                   on: try PostgresStoreFactory.serverEndpoint())
            let store = try await PostgresStore(configuration: PostgresNodes.configuration(for: database, factory))
            #expect(try await store.synchronousCommit() == "remote_apply")
            try await store.close()
        } catch {
            Issue.record(error)
        }
        await factory.dropDatabase(of: database)
    }
}
