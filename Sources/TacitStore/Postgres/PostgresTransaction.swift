import Logging
import PostgresNIO

/// Runs a unit of work as one explicit transaction on a pooled connection.
///
/// Writes never rely on PostgreSQL's implicit per-statement transactions: postgres-nio
/// hands back a statement's result at its CommandComplete, which the server sends *before*
/// it commits an implicit transaction at Sync. An explicit `COMMIT` is different: the server
/// flushes the commit record (with `synchronous_commit = on`) before answering it, so
/// returning from ``run(_:logger:attempts:_:)`` means the work is durable.
///
/// A transaction that failed before `COMMIT` was sent is run again, on another connection,
/// up to `attempts` times in all, when the failure may pass: a deadlock or serialization
/// abort, or a lost connection (the server rolls back a transaction whose connection
/// died). Nothing is retried once `COMMIT` was sent: if the answer to it is lost, the
/// outcome is unknown and the caller gets ``StoreError/unavailable(_:)`` (a client retry
/// of an enqueue is idempotent).
enum PostgresTransaction {
    nonisolated(nonsending) static func run<T: Sendable>(
        _ client: PostgresClient, logger: Logger, attempts: Int,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            let outcome = try await client.withOpenConnection { connection in
                try await self.attempt(on: connection, logger: logger, body)
            }
            switch outcome {
            case .committed(let value):
                return value
            case .failedBeforeCommit(let error) where attempt < attempts && mayPass(error):
                logger.debug("transaction failed before commit, running it again", metadata: [
                    "attempt": "\(attempt)", "error": "\(PostgresErrorMapping.describe(error))",
                ])
                attempt += 1
            case .failedBeforeCommit(let error):
                throw error
            }
        }
    }

    /// One transaction on `connection`: BEGIN, `body`, COMMIT; ROLLBACK if `body` throws.
    ///
    /// `body` must let database errors propagate: after a failed statement PostgreSQL
    /// answers COMMIT by rolling back, without an error.
    nonisolated(nonsending) static func run<T: Sendable>(
        on connection: PostgresConnection, logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        switch try await attempt(on: connection, logger: logger, body) {
        case .committed(let value): return value
        case .failedBeforeCommit(let error): throw error
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case committed(T)
        /// Nothing was committed: the transaction was rolled back or its connection died.
        case failedBeforeCommit(any Error)
    }

    /// Runs the transaction; throws only when `COMMIT` itself failed (outcome unknown).
    private nonisolated(nonsending) static func attempt<T: Sendable>(
        on connection: PostgresConnection, logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> Outcome<T> {
        let value: T
        do {
            _ = try await connection.rows("BEGIN", logger: logger)
            value = try await body(connection)
        } catch {
            do {
                _ = try await connection.rows("ROLLBACK", logger: logger)
            } catch {
                // A connection whose transaction state is unknown must not serve anyone else.
                try? await connection.close()
            }
            return .failedBeforeCommit(error)
        }
        _ = try await connection.rows("COMMIT", logger: logger)
        return .committed(value)
    }

    /// Whether running the transaction again may succeed: PostgreSQL aborted it as a
    /// deadlock or serialization failure, or the database could not be reached.
    private static func mayPass(_ error: any Error) -> Bool {
        if PostgresErrorMapping.isRetryableAbort(error) { return true }
        if case StoreError.unavailable = PostgresErrorMapping.map(error) { return true }
        return false
    }
}
