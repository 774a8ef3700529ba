import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TacitServer
import UnixSignals

/// `tacit bench serve`: the server the bench measures. The same ``TacitServer`` and SQLite
/// store as `tacit server`, with the per-connection rate limit raised so a benchmark device
/// may send hundreds of requests a second (every other default unchanged).
struct BenchServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a Tacit server for benchmarking (rate limit lifted); pin it with taskset -c 0.")

    @Option(help: "TCP port; 0 picks a free one.") var port: Int = 8080
    @Option(help: "Directory for the database and the server key.") var dataDir: String = "./tacit-bench-data"
    @Option(help: "Requests per second per connection.") var rateLimit: Double = 1_000_000
    @Option(help: "Seconds between keep-alive pings.") var keepalive: Double = 30

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
        var configuration = ServerConfiguration(port: port, dataDirectory: dataDir)
        configuration.rateLimit = .init(requestsPerSecond: rateLimit, burst: max(400, rateLimit))
        configuration.keepaliveInterval = .milliseconds(Int64(keepalive * 1000))
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let logger = Logger(label: "tacit.server")
        let store = try TacitServer.openSQLiteStore(configuration: configuration, metricsRegistry: registry)
        let server = try TacitServer(configuration: configuration, store: store, metricsRegistry: registry, logger: logger)
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        let banner = Task {
            guard let port = try? await server.boundPort() else { return }
            FileHandle.standardOutput.write(Data("tacit bench server listening on ws://127.0.0.1:\(port) (pid \(getpid()))\n".utf8))
        }
        defer { banner.cancel() }
        try await group.run()
    }
}
