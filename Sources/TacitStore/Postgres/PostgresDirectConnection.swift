import Logging
import PostgresNIO

/// One connection made outside the pool, for work before the pool runs (migrating the
/// schema) or outside any store (creating databases). It fails at once on a wrong address
/// or password, where the pool would keep retrying in the background.
enum PostgresDirectConnection {
    /// Connects, runs `body`, closes. Errors come back mapped to ``StoreError`` where they
    /// mean "cannot reach the database"; a failure to connect names the endpoint.
    static func with<T: Sendable>(_ configuration: PostgresStore.Configuration,
                                  _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let logger = configuration.logger
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try PostgresConnectionSettings.connection(configuration), id: 0, logger: logger)
        } catch {
            let mapped = PostgresErrorMapping.map(error)
            guard case StoreError.unavailable(let reason) = mapped else { throw mapped }
            throw StoreError.unavailable(
                "cannot connect to \(configuration.endpoint.redactedDescription): \(reason)")
        }
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw PostgresErrorMapping.map(error)
        }
    }
}
