import Foundation
import Logging
import TacitStore

/// The store the servers of this test run use. SQLite by default; with
/// `TACIT_TEST_BACKEND=postgres` (scripts/test runs the end-to-end suite a second time so),
/// every server gets a fresh database on the PostgreSQL server of `TACIT_TEST_DATABASE_URL`.
enum TestBackend {
    static var isPostgres: Bool { ProcessInfo.processInfo.environment["TACIT_TEST_BACKEND"] == "postgres" }

    struct MissingDatabase: Error, CustomStringConvertible {
        var description = "TACIT_TEST_BACKEND=postgres needs TACIT_TEST_DATABASE_URL (scripts/test sets both)"
    }

    /// A new, empty database; its URL.
    static func freshDatabaseURL() async throws -> String {
        guard let server = ProcessInfo.processInfo.environment["TACIT_TEST_DATABASE_URL"], !server.isEmpty,
              var components = URLComponents(string: server)
        else { throw MissingDatabase() }
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .warning
        let name = "tacit_e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: try PostgresEndpoint(url: server), logger: logger)
        components.path = "/" + name
        guard let url = components.string else { throw MissingDatabase() }
        return url
    }
}
