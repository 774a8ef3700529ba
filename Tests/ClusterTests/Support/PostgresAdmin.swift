import Logging
import NIOCore
import PostgresNIO
import TacitStore

/// Statements the tests run on the PostgreSQL server directly.
enum PostgresAdmin {
    /// Ends the sessions of `database` whose application name is `applicationName`;
    /// returns how many there were.
    static func terminate(applicationName: String, database: TestDatabase) async throws -> Int {
        let endpoint = try PostgresEndpoint(url: database.serverURL)
        let logger = TestPostgres.logger
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(host: endpoint.host, port: endpoint.port,
                                                            username: endpoint.username, password: endpoint.password,
                                                            database: endpoint.database, tls: .disable),
            id: 99, logger: logger)
        do {
            let rows = try await connection.query("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = \(database.name) AND application_name = \(applicationName)
                """, logger: logger)
            var count = 0
            for try await row in rows { count = Int(try row.decode(Int64.self)) }
            try await connection.close()
            return count
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
