import Logging
import Prometheus
import ServiceLifecycle
import TacitStore

/// A ``TacitServer`` started in this process and running in the background, for tests and
/// tools that want a server without managing a `ServiceGroup`.
///
/// ```swift
/// let running = try await TacitServer(configuration: .init(port: 0), store: store).start()
/// // connect to ws://127.0.0.1:\(running.port)/v1/connect
/// try await running.stop()
/// ```
public final class RunningTacitServer: Sendable {
    /// The port the server listens on (the real one when configured with port 0).
    public let port: Int
    public let server: TacitServer
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    fileprivate init(port: Int, server: TacitServer, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.server = server
        self.group = group
        self.task = task
    }

    /// Stops gracefully: stops accepting, closes the sockets, closes the store.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

extension TacitServer {
    /// Starts the server in the background and returns once it listens.
    public func start(logger: Logger = Logger(label: "tacit.server")) async throws -> RunningTacitServer {
        let group = ServiceGroup(services: [self], logger: logger)
        let task = Task { try await group.run() }
        do {
            let port = try await boundPort()
            return RunningTacitServer(port: port, server: self, group: group, task: task)
        } catch {
            // It never listened: surface the reason it stopped, if there was one.
            try await task.value
            throw error
        }
    }

    /// Opens the SQLite store at ``ServerConfiguration/databasePath``, timing its operations
    /// into `metricsRegistry` (so `/metrics` shows `tacit_store_seconds`).
    public static func openSQLiteStore(configuration: ServerConfiguration,
                                       metricsRegistry: PrometheusCollectorRegistry,
                                       logger: Logger = Logger(label: "tacit.store")) throws -> SQLiteStore {
        let settings = SQLiteStore.Configuration(metricsFactory: PrometheusMetricsFactory(registry: metricsRegistry),
                                                 logger: logger)
        return try SQLiteStore(path: configuration.databasePath, configuration: settings)
    }
}
