import Foundation
import Logging
import TacitStore

/// The test PostgreSQL server from `TACIT_TEST_DATABASE_URL` (scripts/test starts one).
/// Missing, every cluster test fails saying so: it is never skipped.
enum TestPostgres {
    static let variable = "TACIT_TEST_DATABASE_URL"

    static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw MissingTool(description: """
                \(variable) is not set, so the cluster cannot be tested. Run scripts/test, or \
                `scripts/postgres start /tmp/pg.env` and `env $(cat /tmp/pg.env) swift test`.
                """)
        }
        return url
    }

    static var logger: Logger {
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .warning
        return logger
    }
}

/// A fresh database on a PostgreSQL server, dropped by ``drop()``.
struct TestDatabase: Sendable {
    let serverURL: String
    let name: String

    /// A new database on `serverURL` (by default the shared test server).
    static func create(on serverURL: String? = nil) async throws -> TestDatabase {
        let url = try serverURL ?? TestPostgres.serverURL()
        let name = "tacit_cluster_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: try PostgresEndpoint(url: url), logger: TestPostgres.logger)
        return TestDatabase(serverURL: url, name: name)
    }

    /// The URL of this database (the server's URL with another path).
    var url: String {
        var components = URLComponents(string: serverURL)!
        components.path = "/" + name
        return components.string!
    }

    var endpoint: PostgresEndpoint {
        get throws { try PostgresEndpoint(url: url) }
    }

    func drop() async {
        guard let server = try? PostgresEndpoint(url: serverURL) else { return }
        try? await PostgresDatabases.drop(name, on: server, logger: TestPostgres.logger)
    }

    /// Opens a store on this database, as one more node would.
    func openStore(poolSize: Int = 4) async throws -> PostgresStore {
        try await PostgresStore(configuration: PostgresStore.Configuration(
            endpoint: try endpoint, poolSize: poolSize, connectTimeout: .seconds(10), logger: TestPostgres.logger))
    }
}

/// A PostgreSQL cluster of the test's own (scripts/postgres), which it may stop and start
/// without disturbing the tests that share the common one.
final class OwnPostgres: Sendable {
    let environmentFile: String
    let serverURL: String

    private init(environmentFile: String, serverURL: String) {
        self.environmentFile = environmentFile
        self.serverURL = serverURL
    }

    static func start() async throws -> OwnPostgres {
        // The common server proves PostgreSQL is meant to be tested here.
        _ = try TestPostgres.serverURL()
        let file = "/tmp/tacit-cluster-pg-\(UUID().uuidString.prefix(8)).env"
        let (status, output) = try await script("start", file)
        guard status == 0, let url = output.split(separator: "\n")
            .first(where: { $0.hasPrefix("TACIT_TEST_DATABASE_URL=") })?
            .dropFirst("TACIT_TEST_DATABASE_URL=".count)
        else { throw MissingTool(description: "scripts/postgres start failed: \(output)") }
        return OwnPostgres(environmentFile: file, serverURL: String(url))
    }

    /// Stops the server; its data stays.
    func halt() async throws {
        let (status, output) = try await Self.script("halt", environmentFile)
        guard status == 0 else { throw MissingTool(description: "scripts/postgres halt failed: \(output)") }
    }

    /// Starts it again on the same port.
    func resume() async throws {
        let (status, output) = try await Self.script("resume", environmentFile)
        guard status == 0 else { throw MissingTool(description: "scripts/postgres resume failed: \(output)") }
    }

    func stop() async {
        _ = try? await Self.script("stop", environmentFile)
    }

    private static func script(_ command: String, _ file: String) async throws -> (Int32, String) {
        try await ChildProcess.run(packageRoot.appendingPathComponent("scripts/postgres").path, [command, file])
    }
}
