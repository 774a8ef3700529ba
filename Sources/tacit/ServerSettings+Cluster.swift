import Configuration
import TacitServer
import TacitStore

extension ServerSettings {
    /// The database and cluster keys: a `databaseUrl` switches from embedded SQLite to
    /// PostgreSQL; the other keys tune the pool and the node.
    static func resolveCluster(_ reader: ConfigReader, into configuration: inout ServerConfiguration,
                               defaults: ServerConfiguration) async throws {
        if let url = try await reader.fetchString(forKey: "databaseUrl", isSecret: true), !url.isEmpty {
            do {
                _ = try PostgresEndpoint(url: url)
            } catch {
                throw Problem.invalid("invalid database URL: \(error)")
            }
            let fallback = ServerConfiguration.PostgresSettings(url: url)
            var settings = fallback
            settings.poolSize = try await reader.fetchInt(forKey: "databasePoolSize", default: fallback.poolSize)
            settings.connectTimeout = .seconds(try await reader.fetchDouble(
                forKey: "databaseConnectTimeoutSeconds", default: fallback.connectTimeout.secondsValue))
            guard (1...1000).contains(settings.poolSize) else {
                throw Problem.invalid("the database pool size must be 1...1000")
            }
            guard settings.connectTimeout > .zero else {
                throw Problem.invalid("the database connect timeout must be positive")
            }
            configuration.database = .postgres(settings)
        }
        configuration.storeTimeout = .seconds(try await reader.fetchDouble(
            forKey: "databaseTimeoutSeconds", default: defaults.storeTimeout.secondsValue))
        configuration.catchUpInterval = .seconds(try await reader.fetchDouble(
            forKey: "catchUpIntervalSeconds", default: defaults.catchUpInterval.secondsValue))
        configuration.nodeID = try await reader.fetchString(forKey: "nodeId")
        guard configuration.storeTimeout > .zero else { throw Problem.invalid("the database timeout must be positive") }
        guard configuration.catchUpInterval > .zero else {
            throw Problem.invalid("the catch-up interval must be positive")
        }
    }
}
