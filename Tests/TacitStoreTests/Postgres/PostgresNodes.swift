import TacitStore

/// Several stores on one fresh database, as several server nodes would use it.
enum PostgresNodes {
    /// Opens `count` stores on a new database, runs `body`, then closes them and drops the
    /// database, also when `body` throws.
    static func with<T>(_ count: Int, factory: PostgresStoreFactory = PostgresStoreFactory(),
                        _ body: ([PostgresStore]) async throws -> T) async throws -> T {
        let database = try await factory.makeDatabase()
        var nodes: [PostgresStore] = []
        do {
            for _ in 0..<count {
                nodes.append(try await PostgresStore(configuration: configuration(for: database, factory)))
            }
            let result = try await body(nodes)
            await close(nodes, database, factory)
            return result
        } catch {
            await close(nodes, database, factory)
            throw error
        }
    }

    static func configuration(for database: PostgresEndpoint,
                              _ factory: PostgresStoreFactory) -> PostgresStore.Configuration {
        var configuration = PostgresStore.Configuration(endpoint: database, poolSize: factory.poolSize,
                                                        logger: PostgresStoreFactory.logger)
        factory.configure(&configuration)
        return configuration
    }

    private static func close(_ nodes: [PostgresStore], _ database: PostgresEndpoint,
                              _ factory: PostgresStoreFactory) async {
        for node in nodes { try? await node.close() }
        await factory.dropDatabase(of: database)
    }
}
