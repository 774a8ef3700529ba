import Foundation
import Logging
import Synchronization
import TacitClient
import TacitServer
import TacitStore

/// A server whose every log line (at trace level) is kept, to check that nothing secret is logged.
final class CapturedServer: ServerEndpoint, @unchecked Sendable {
    let dataDirectory: URL
    let logs = LogSink()
    private var running: RunningTacitServer?
    private var port = 0

    init() async throws {
        dataDirectory = TemporaryDirectory.make("captured-server")
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: dataDirectory.path)
        configuration.maintenanceInterval = .milliseconds(200)
        let sink = logs
        var logger = Logger(label: "captured.server") { label in CapturingLogHandler(sink: sink) }
        logger.logLevel = .trace
        let store = try SQLiteStore(path: configuration.databasePath)
        let server = try TacitServer(configuration: configuration, store: store, logger: logger)
        let running = try await server.start(logger: logger)
        self.running = running
        port = running.port
    }

    var url: ServerURL {
        get throws { try ServerURL("ws://127.0.0.1:\(port)") }
    }

    func stop() async {
        // Graceful, as in InProcessServer: cancelling could strand a just-accepted connection.
        try? await running?.stop()
        running = nil
    }
}

/// Where ``CapturingLogHandler`` puts the lines.
final class LogSink: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
    let sink: LogSink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.append("\(event.level) \(event.message) \(all) \(event.error.map { "\($0)" } ?? "")")
    }
}
