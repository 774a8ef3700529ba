import Foundation
import Logging
import Metrics
import Prometheus
import TacitStore

extension TacitServer {
    /// Opens the store ``ServerConfiguration/database`` names, timing its operations into
    /// `metricsRegistry`: SQLite at ``ServerConfiguration/databasePath`` (the directory must
    /// exist), or PostgreSQL, whose schema it migrates (safe when several nodes start at once).
    public static func openStore(configuration: ServerConfiguration,
                                 metricsRegistry: PrometheusCollectorRegistry,
                                 logger: Logger = Logger(label: "tacit.store")) async throws -> any TacitStore {
        switch configuration.database {
        case .sqlite:
            return try openSQLiteStore(configuration: configuration, metricsRegistry: metricsRegistry, logger: logger)
        case .postgres(let settings):
            var store = try PostgresStore.Configuration(url: settings.url)
            store.poolSize = max(1, settings.poolSize)
            store.connectTimeout = settings.connectTimeout
            store.metricsFactory = PrometheusMetricsFactory(registry: metricsRegistry)
            store.logger = logger
            return try await PostgresStore(configuration: store)
        }
    }
}

extension ServerConfiguration.Database: CustomStringConvertible {
    /// Which backend, for the start-up banner and logs; never shows a password.
    public var description: String {
        switch self {
        case .sqlite: "SQLite (embedded)"
        case .postgres(let settings):
            if let endpoint = try? PostgresEndpoint(url: settings.url) {
                "PostgreSQL \(endpoint.redactedDescription)"
            } else {
                "PostgreSQL (invalid URL)"
            }
        }
    }
}
