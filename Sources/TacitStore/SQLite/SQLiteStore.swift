import Foundation
import GRDB
import Logging
import Synchronization

/// The embedded ``TacitStore``: one SQLite file in WAL mode, driven through GRDB.
///
/// Reads run on a pool of read connections beside the single writer, those that arrive
/// together in one transaction (``GroupedReader``). Enqueues and
/// acknowledgements go through a ``GroupCommitWriter``, which writes whatever arrived
/// while the previous transaction was committing in one transaction (one fsync), and
/// answers each caller only after that commit. Other writes run as their own transactions
/// on the same writer connection, so all writes are serialized.
///
/// Durability: the writer uses `synchronous = FULL` by default (see ``Durability``), so an
/// acknowledged enqueue survives both `kill -9` and power loss.
public final class SQLiteStore: TacitStore {
    /// The database file; `-wal` and `-shm` files live beside it.
    public let path: String

    let pool: DatabasePool
    let writer: GroupCommitWriter
    let reader: GroupedReader
    let metrics: StoreMetrics
    private let closed = Mutex(false)

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// Missing parent directories are created with mode 0700, and the database files with
    /// mode 0600: they hold every queued message of every user.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        try DatabaseFile.prepare(path: path)

        var grdb = GRDB.Configuration()
        grdb.label = "tacit.store"
        grdb.maximumReaderCount = max(1, configuration.readerCount)
        grdb.busyMode = .timeout(Self.seconds(configuration.busyTimeout))
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
            // GRDB sets `synchronous = NORMAL` when it switches the pool to WAL, after any
            // prepareDatabase hook ran, so ours is set here, on the one connection that commits.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(configuration.durability.pragmaValue)")
            }
            try SQLiteMigrator.migrate(pool)
        } catch {
            throw SQLiteErrorMapping.map(error)
        }
        DatabaseFile.restrictCompanions(of: path)

        metrics = StoreMetrics(factory: configuration.metricsFactory)
        writer = GroupCommitWriter(pool: pool, maxBatchSize: configuration.maxBatchSize,
                                   metrics: metrics, logger: configuration.logger)
        reader = GroupedReader(pool: pool, maxConcurrentBatches: grdb.maximumReaderCount)
    }

    public func close() async throws {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        // Writes already handed to the group-commit writer still commit and get answered.
        await writer.close()
        // GRDB's close blocks until every reader connection is back in the pool, and a read
        // finishing needs a cooperative thread to hand it back: blocking those threads here
        // (two stores closing at once on two cores) would wait forever. So it waits on a
        // thread of its own.
        let pool = self.pool
        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { try pool.close() })
            }
        }
        do {
            try result.get()
        } catch {
            throw SQLiteErrorMapping.map(error)
        }
    }

    var isClosed: Bool { closed.withLock { $0 } }

    // MARK: Running operations

    /// Runs a read-only operation on a reader connection.
    func read<T: Sendable>(_ operation: StoreOperation,
                           _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await run(operation) { try await self.reader.read(body) }
    }

    /// Runs a write as its own transaction on the writer connection.
    func write<T: Sendable>(_ operation: StoreOperation,
                            _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await run(operation) { try await self.pool.write(body) }
    }

    /// Runs a write as part of the next group commit.
    func batched(_ operation: StoreOperation, _ write: BatchedWrite) async throws -> BatchedWriteOutcome {
        try await run(operation) { try await self.writer.submit(write) }
    }

    func run<T: Sendable>(_ operation: StoreOperation,
                                  _ access: @Sendable () async throws -> T) async throws -> T {
        guard !isClosed else { throw StoreError.closed }
        let start = ContinuousClock.now
        defer { metrics.record(operation, since: start) }
        do {
            return try await access()
        } catch {
            // A database closed under a running call fails with a GRDB error; name it.
            if isClosed { throw StoreError.closed }
            throw SQLiteErrorMapping.map(error)
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
