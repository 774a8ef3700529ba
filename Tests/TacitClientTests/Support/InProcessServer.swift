import Foundation
import Logging
import TacitClient
import TacitServer
import TacitStore

/// A real Tacit server running inside the test process, on loopback, with its own data
/// directory. It can be stopped and started again on the same directory and port, which
/// is what a restart looks like to a client.
final class InProcessServer: @unchecked Sendable {
    let dataDirectory: URL
    private(set) var configuration: ServerConfiguration
    private(set) var port: Int = 0
    private(set) var serverKey: [UInt8] = []
    private var running: RunningTacitServer?

    /// Starts a server; `configure` adjusts the test configuration (port 0, short timings).
    static func start(dataDirectory: URL? = nil, port: Int = 0,
                      configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> InProcessServer {
        let directory = dataDirectory ?? TemporaryDirectory.make("server")
        var configuration = ServerConfiguration(host: "127.0.0.1", port: port, dataDirectory: directory.path)
        configuration.maintenanceInterval = .milliseconds(200)
        configure(&configuration)
        let server = InProcessServer(dataDirectory: directory, configuration: configuration)
        try await server.start()
        return server
    }

    private init(dataDirectory: URL, configuration: ServerConfiguration) {
        self.dataDirectory = dataDirectory
        self.configuration = configuration
    }

    /// The URL clients use.
    var url: ServerURL {
        get throws { try ServerURL("ws://127.0.0.1:\(port)") }
    }

    func start() async throws {
        var logger = Logger(label: "test.server")
        logger.logLevel = .warning
        let store = try SQLiteStore(path: configuration.databasePath)
        let server = try TacitServer(configuration: configuration, store: store, logger: logger)
        serverKey = server.identity.publicKey
        let running = try await server.start(logger: logger)
        self.running = running
        port = running.port
        // Later restarts reuse the port, so clients find the server where they left it.
        configuration.port = port
    }

    /// Stops the server gracefully (its sockets close, the store closes) and waits until it
    /// has. Not by cancelling its task: a connection accepted in that moment would never be
    /// served nor closed, and NIO traps on its unfinished writer.
    func stop() async {
        try? await running?.stop()
        running = nil
    }

    func restart() async throws {
        await stop()
        try await start()
    }
}

/// Fresh directories under the system's temporary directory.
enum TemporaryDirectory {
    static func make(_ label: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-tests", isDirectory: true)
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
