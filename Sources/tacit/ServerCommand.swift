import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TacitServer
import TacitStore
import UnixSignals

/// `tacit server`: runs a Tacit server in the foreground until SIGTERM or SIGINT.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run a Tacit server.",
        discussion: """
            Settings come from flags, then TACIT_* environment variables (TACIT_HOST, TACIT_PORT, \
            TACIT_DATA_DIR, TACIT_TLS_CERT, TACIT_TLS_KEY, TACIT_LOG_LEVEL, ...), then the JSON file \
            given by --config or TACIT_CONFIG (keys host, port, dataDir, tlsCert, tlsKey, \
            queueExpirySeconds, maxEnvelopeBytes, linkCodeLifetimeSeconds, logLevel, databaseUrl, \
            databasePoolSize, databaseConnectTimeoutSeconds, databaseTimeoutSeconds, nodeId, \
            catchUpIntervalSeconds, rateLimitPerSecond, rateLimitBurst, keepaliveSeconds), then defaults. Without --database-url (TACIT_DATABASE_URL) the \
            server keeps its data in embedded SQLite in the data directory; with a postgres:// URL any \
            number of nodes may share one PostgreSQL database (give every node the same server key). \
            SIGTERM or SIGINT shut the server down gracefully. For a load test with `tacit bench`, \
            lift the per-connection rate limit: taskset -c 0 tacit server --rate-limit 1000000 ...
            """)

    @Option(help: "Interface to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "TCP port; 0 picks a free one (default 8080).") var port: Int?
    @Option(help: "Directory for the database and the server key (default ./tacit-data).") var dataDir: String?
    @Option(help: "A JSON configuration file.") var config: String?
    @Option(help: "TLS certificate chain (PEM).") var tlsCert: String?
    @Option(help: "TLS private key (PEM).") var tlsKey: String?
    @Option(help: "Seconds an unacknowledged message is kept (default 30 days).") var queueExpiry: Double?
    @Option(help: "Largest message body in bytes.") var maxEnvelopeBytes: Int?
    @Option(help: "Seconds a link code stays valid.") var linkCodeLifetime: Double?
    @Option(help: "Seconds between expiry sweeps.") var maintenanceInterval: Double?
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String?
    @Option(help: "PostgreSQL to use instead of embedded SQLite: postgres://user:password@host:port/db?sslmode=…")
    var databaseUrl: String?
    @Option(help: "Most PostgreSQL connections this node opens (default 8).") var databasePoolSize: Int?
    @Option(help: "Seconds opening a PostgreSQL connection may take (default 3).") var databaseConnectTimeout: Double?
    @Option(help: "Seconds a request waits for PostgreSQL before failing retryably (default 5).")
    var databaseTimeout: Double?
    @Option(help: "This node's name among nodes sharing a database (default: from the host name).")
    var nodeId: String?
    @Option(help: "Seconds after which an idle connection re-reads its queue, with several nodes (default 5).")
    var catchUpInterval: Double?
    @Option(help: "Requests per second one connection may make (default 200; raise it for tacit bench).")
    var rateLimit: Double?
    @Option(help: "Requests one connection may make at once (default: twice the rate limit, at least 400).")
    var rateLimitBurst: Double?
    @Option(help: "Seconds between keep-alive pings to an idle connection (default 30).") var keepalive: Double?

    func run() async throws {
        let flags = ServerSettings.Flags(host: host, port: port, dataDir: dataDir, tlsCert: tlsCert, tlsKey: tlsKey,
                                         queueExpirySeconds: queueExpiry, maxEnvelopeBytes: maxEnvelopeBytes,
                                         linkCodeLifetimeSeconds: linkCodeLifetime,
                                         maintenanceIntervalSeconds: maintenanceInterval, logLevel: logLevel,
                                         databaseURL: databaseUrl, databasePoolSize: databasePoolSize,
                                         databaseConnectTimeoutSeconds: databaseConnectTimeout,
                                         databaseTimeoutSeconds: databaseTimeout, nodeID: nodeId,
                                         catchUpIntervalSeconds: catchUpInterval, rateLimitPerSecond: rateLimit,
                                         rateLimitBurst: rateLimitBurst, keepaliveSeconds: keepalive)
        let settings: ServerSettings
        do {
            settings = try await ServerSettings.resolve(flags: flags, configFile: config)
        } catch let problem as ServerSettings.Problem {
            throw CLIError(problem.description)
        } catch {
            throw CLIError("invalid server settings: \(error)")
        }
        guard let level = Logger.Level(rawValue: settings.logLevel.lowercased()) else {
            throw ValidationError("unknown log level '\(settings.logLevel)'")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tacit.server")
        let configuration = settings.configuration

        // Metrics first: the store and server pick up the factory when they are made.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let store: any TacitStore
        do {
            store = try await TacitServer.openStore(configuration: configuration, metricsRegistry: registry)
        } catch let error as StoreError {
            throw CLIError("cannot open the database (\(configuration.database)): \(error)")
        }
        let server: TacitServer
        do {
            server = try TacitServer(configuration: configuration, store: store, metricsRegistry: registry,
                                     logger: logger)
        } catch {
            try? await store.close()
            throw error
        }
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        let banner = Task {
            guard let port = try? await server.boundPort() else { return }
            Self.printBanner(configuration: configuration, port: port, serverKey: server.identity.publicKey,
                             nodeID: server.nodeID)
        }
        defer { banner.cancel() }
        try await group.run()
    }

    /// What a person starting the server needs to know; the first line is also what
    /// scripts and tests wait for.
    private static func printBanner(configuration: ServerConfiguration, port: Int, serverKey: [UInt8],
                                    nodeID: String) {
        let scheme = configuration.tls == nil ? "ws" : "wss"
        let url = "\(scheme)://\(configuration.host):\(port)"
        var text = "tacit server listening on \(url)\n"
        text += "  data directory: \((configuration.dataDirectory as NSString).standardizingPath)\n"
        switch configuration.database {
        case .sqlite:
            text += "  database:       \(configuration.database) at \(configuration.databasePath)\n"
        case .postgres:
            text += "  database:       \(configuration.database), node \(nodeID)\n"
        }
        text += "  server key:     \(serverKey.map { String(format: "%02x", $0) }.joined())\n"
        text += "  (clients pin this key on first contact)\n"
        text += "  health: \(configuration.tls == nil ? "http" : "https")://\(configuration.host):\(port)/health"
        text += "   metrics: /metrics\n"
        text += "Create an account: tacit account create NAME --server \(url)\n"
        text += "Stop with Ctrl-C (SIGINT) or SIGTERM.\n"
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
