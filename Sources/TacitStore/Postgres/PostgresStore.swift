import Foundation
import Logging
import PostgresNIO

/// The ``TacitStore`` for several server nodes: one PostgreSQL database, reached through a
/// postgres-nio connection pool.
///
/// Opening the store migrates the schema (safe when several nodes start at once, see
/// ``PostgresMigrator``). Reads run on any pooled connection. Enqueues and
/// acknowledgements go through a ``PostgresGroupCommitWriter``, which commits whatever
/// arrived while the previous transaction was committing in one transaction, and answers
/// each caller only after that `COMMIT` returned. Other writes run as transactions of
/// their own. A transaction that fails before its `COMMIT` was sent, because of a
/// deadlock or a lost connection, is run again (see ``PostgresTransaction``).
///
/// Failures to reach the database are ``StoreError/unavailable(_:)``: the caller may
/// retry, and nothing is acknowledged that was not committed.
public final class PostgresStore: TacitStore {
    public let configuration: Configuration

    let client: PostgresClient
    let writer: PostgresGroupCommitWriter
    let metrics: StoreMetrics
    let logger: Logger
    let gate = PostgresOperationGate()
    private let clientTask: Task<Void, Never>

    /// Connects, brings the schema up to date and starts the connection pool.
    ///
    /// The first connection is made directly (not through the pool), so a wrong address or
    /// password fails at once with ``StoreError/unavailable(_:)`` rather than after the
    /// pool's retries.
    public init(configuration: Configuration) async throws {
        self.configuration = configuration
        self.logger = configuration.logger
        let synchronousCommitOff = try await Self.prepareDatabase(configuration)

        metrics = StoreMetrics(factory: configuration.metricsFactory)
        client = PostgresClient(configuration: PostgresConnectionSettings.client(
                                    configuration, synchronousCommitOff: synchronousCommitOff),
                                backgroundLogger: configuration.logger)
        // Waiting for the task to begin keeps the first lease from finding the pool not
        // yet running (postgres-nio logs a warning for that).
        let (started, start) = AsyncStream.makeStream(of: Void.self)
        clientTask = Task { [client] in
            start.finish()
            await client.run()
        }
        for await _ in started {}
        writer = PostgresGroupCommitWriter(client: client, configuration: configuration, metrics: metrics)
    }

    deinit {
        // A store dropped without close() still lets go of its connections.
        clientTask.cancel()
    }

    /// Waits for running operations (an enqueue in flight still commits and is answered),
    /// then closes every connection. Later calls fail with ``StoreError/closed``.
    public func close() async throws {
        guard await gate.close() else { return }
        await writer.close()
        clientTask.cancel()
        await clientTask.value
    }

    /// Migrates on a connection of its own; returns whether the server's default for
    /// `synchronous_commit` is `off` (the pool's connections then turn it on).
    private static func prepareDatabase(_ configuration: Configuration) async throws -> Bool {
        let logger = configuration.logger
        let setting = try await PostgresDirectConnection.with(configuration) { connection in
            try await PostgresMigrator.migrate(connection, logger: logger)
            return try await connection.rows("SELECT current_setting('synchronous_commit')", logger: logger)
                .first?.decode(String.self)
        }
        if setting == "off" {
            logger.notice("synchronous_commit is off on the server; the store's connections turn it on")
        }
        return setting == "off"
    }

    // MARK: Running operations

    /// Runs one operation: refused once the store is closing, timed, errors mapped.
    func run<T: Sendable>(_ operation: StoreOperation, _ body: () async throws -> T) async throws -> T {
        try await gate.run {
            let start = ContinuousClock.now
            defer { metrics.record(operation, since: start) }
            do {
                return try await body()
            } catch {
                throw PostgresErrorMapping.map(error)
            }
        }
    }

    /// Runs reads on whichever pooled connection is free.
    func read<T: Sendable>(_ operation: StoreOperation,
                           _ body: (any PostgresQueryable) async throws -> T) async throws -> T {
        try await run(operation) { try await body(client) }
    }

    /// Runs `body` as one transaction of its own.
    func transaction<T: Sendable>(_ operation: StoreOperation,
                                  _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await run(operation) {
            try await PostgresTransaction.run(client, logger: logger,
                                              attempts: configuration.transactionAttempts, body)
        }
    }

    /// Runs a write as part of the next group commit.
    func batched(_ operation: StoreOperation, _ write: PostgresBatchedWrite) async throws -> PostgresWriteOutcome {
        try await run(operation) { try await writer.submit(write) }
    }
}
