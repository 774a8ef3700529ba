import Foundation
import Logging
import Prometheus
import TacitServer
import TacitStore
import TacitWire

/// A real server on a free loopback port, with a real SQLite store in a fresh directory.
struct TestServer: Sendable {
    let running: RunningTacitServer
    let store: SQLiteStore
    let configuration: ServerConfiguration

    var port: Int { running.port }
    var serverKey: [UInt8] { running.server.identity.publicKey }

    static func start(dataDirectory: String? = nil,
                      _ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-server-test-\(UUID().uuidString)").path
        var configuration = ServerConfiguration(port: 0, dataDirectory: directory)
        configure(&configuration)
        var logger = Logger(label: "test.server")
        logger.logLevel = ProcessInfo.processInfo.environment["TACIT_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        let registry = PrometheusCollectorRegistry()
        let store = try TacitServer.openSQLiteStore(configuration: configuration, metricsRegistry: registry,
                                                    logger: logger)
        let server = try TacitServer(configuration: configuration, store: store, metricsRegistry: registry,
                                     logger: logger)
        return TestServer(running: try await server.start(logger: logger), store: store, configuration: configuration)
    }

    func stop() async throws {
        try await running.stop()
    }

    func removeData() {
        try? FileManager.default.removeItem(atPath: configuration.dataDirectory)
    }

    // MARK: Clients

    func connect() async -> TestSocket {
        await TestSocket.connect(port: port)
    }

    /// A socket that said Hello; returns it with the server's challenge.
    func handshake() async throws -> (TestSocket, WireChallenge) {
        let socket = await connect()
        let answer = try await socket.request(.hello())
        guard case .challenge(let challenge) = answer.body else { throw TestSocket.Failure.unexpected("\(answer)") }
        return (socket, challenge)
    }

    /// Registers `username` with `device`; returns the authenticated socket (backlog drained)
    /// and the new device id.
    func register(_ username: String, _ device: TestDevice) async throws -> (TestSocket, UInt64) {
        let (socket, challenge) = try await handshake()
        let answer = try await socket.request(device.register(username: username, challenge: challenge))
        guard case .authResult(let result) = answer.body else { throw TestSocket.Failure.unexpected("\(answer)") }
        _ = try await socket.backlog()
        return (socket, result.deviceID)
    }

    /// Authenticates as an existing device; returns the socket before its backlog is read.
    func authenticate(_ device: TestDevice, id: UInt64) async throws -> TestSocket {
        let (socket, challenge) = try await handshake()
        let answer = try await socket.request(device.authenticate(deviceID: id, challenge: challenge))
        guard case .authResult = answer.body else { throw TestSocket.Failure.unexpected("\(answer)") }
        return socket
    }

    /// Plain HTTP GET against the server; returns status and body.
    func get(_ path: String) async throws -> (Int, String) {
        try await HTTPGet.fetch(port: port, path: path)
    }
}

/// Runs `body` against a fresh server and tears it down afterwards.
func withTestServer(_ configure: (inout ServerConfiguration) -> Void = { _ in },
                    _ body: (TestServer) async throws -> Void) async throws {
    let server = try await TestServer.start(configure)
    do {
        try await body(server)
    } catch {
        try? await server.stop()
        server.removeData()
        throw error
    }
    try await server.stop()
    server.removeData()
}

extension WireServerFrame {
    /// The error this frame carries, if it is one.
    var error: WireError? {
        if case .error(let error) = body { error } else { nil }
    }
}
