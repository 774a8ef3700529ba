import Logging
import PostgresNIO

/// Something queries run on: the pool (for a read, on whichever connection is free) or
/// one connection (inside a transaction).
protocol PostgresQueryable: Sendable {
    /// Runs `query` and collects every row it returns.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow]
}

extension PostgresClient: PostgresQueryable {
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await withOpenConnection { connection in try await connection.rows(query, logger: logger) }
    }

    /// Leases a connection that is still open. The pool may hand out one the server closed
    /// a moment ago, before it processed the close; nothing was sent on it yet, so it is
    /// given back and another one leased, a few times, before the caller hears of it.
    nonisolated(nonsending) func withOpenConnection<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        for attempt in 1...Self.openConnectionAttempts {
            let lease: OpenConnectionLease<T> = try await withConnection { connection in
                connection.isClosed ? .closed : .used(try await body(connection))
            }
            if case .used(let result) = lease { return result }
            try await Task.sleep(for: .milliseconds(attempt))
        }
        throw StoreError.unavailable("postgres: every pooled connection was closed by the server")
    }

    private static let openConnectionAttempts = 5
}

private enum OpenConnectionLease<T: Sendable>: Sendable {
    case closed
    case used(T)
}

extension PostgresConnection: PostgresQueryable {
    /// Refuses to run on a connection that has closed: postgres-nio 1.33 writes a query to
    /// the channel without a write promise, so a query sent after the channel shut down
    /// is never answered. That happens when the server ends a connection between two
    /// statements of a transaction, or when the pool hands out a connection whose close it
    /// has not processed yet (a lease released right after the server hung up).
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try ensureOpen()
        return try await self.query(query, logger: logger).collect()
    }

    /// Runs a prepared statement (under the same guard as ``rows(_:logger:)``) and collects
    /// its decoded rows.
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement,
                                                    logger: Logger) async throws -> [Statement.Row] {
        try ensureOpen()
        var rows: [Statement.Row] = []
        for try await row in try await execute(statement, logger: logger) { rows.append(row) }
        return rows
    }

    private func ensureOpen() throws {
        guard !isClosed else { throw StoreError.unavailable("postgres: the connection to the database closed") }
    }
}
