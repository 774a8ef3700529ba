import Logging
import TacitStore

/// Picks what a server's store calls for: one node on SQLite needs no link to others and
/// never waits for a network; nodes on PostgreSQL wake each other through the database
/// and bound how long a request waits for it.
enum ClusterLink {
    static func wakeups(for store: any TacitStore, node: ClusterNode, configuration: ServerConfiguration,
                        logger: Logger) -> any DeliveryWakeups {
        guard let postgres = store as? PostgresStore else { return LocalWakeups() }
        return PostgresWakeups(endpoint: postgres.configuration.endpoint, node: node,
                               connectTimeout: postgres.configuration.connectTimeout,
                               catchUpInterval: configuration.catchUpInterval, logger: logger)
    }

    static func storeDeadline(for store: any TacitStore, configuration: ServerConfiguration) -> Duration? {
        store is PostgresStore ? configuration.storeTimeout : nil
    }
}
