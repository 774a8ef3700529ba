import GRDB
import Logging

/// Writes enqueues and acknowledgements in shared transactions: one commit, one fsync,
/// for everything that arrived while the previous commit was on its way to disk.
///
/// There is no timer and no added latency: a write arriving at an idle writer is committed
/// at once, alone. Writes arriving during that commit wait in ``waiting`` and form the next
/// batch (at most `maxBatchSize` of them, first come first served), and so on. Each caller
/// is answered only after the transaction holding its write committed, which is what makes
/// an acknowledged enqueue durable. Queue ids are assigned in arrival order, so sends that
/// one sender device awaits one after another keep their order in every recipient's queue.
actor GroupCommitWriter {
    private struct Waiting {
        let write: BatchedWrite
        let continuation: CheckedContinuation<BatchedWriteOutcome, any Error>
    }

    private let pool: DatabasePool
    private let maxBatchSize: Int
    private let metrics: StoreMetrics
    private let logger: Logger

    private var waiting: [Waiting] = []
    private var isCommitting = false
    private var isClosed = false
    private var drained: [CheckedContinuation<Void, Never>] = []
    private(set) var statistics = BatchStatistics()

    init(pool: DatabasePool, maxBatchSize: Int, metrics: StoreMetrics, logger: Logger) {
        self.pool = pool
        self.maxBatchSize = max(1, maxBatchSize)
        self.metrics = metrics
        self.logger = logger
    }

    /// Queues `write` for the next batch and returns once that batch committed.
    func submit(_ write: BatchedWrite) async throws -> BatchedWriteOutcome {
        guard !isClosed else { throw StoreError.closed }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(write: write, continuation: continuation))
            if !isCommitting {
                isCommitting = true
                Task { await commitUntilIdle() }
            }
        }
    }

    /// Refuses new writes, and returns once every write already submitted was answered.
    func close() async {
        isClosed = true
        guard isCommitting else { return }
        await withCheckedContinuation { drained.append($0) }
    }

    private func commitUntilIdle() async {
        while !waiting.isEmpty {
            let count = min(waiting.count, maxBatchSize)
            let batch = Array(waiting.prefix(count))
            waiting.removeFirst(count)
            await commit(batch)
        }
        isCommitting = false
        let waiters = drained
        drained = []
        for waiter in waiters { waiter.resume() }
    }

    private func commit(_ batch: [Waiting]) async {
        let writes = batch.map(\.write)
        let start = ContinuousClock.now
        let outcomes: [Result<BatchedWriteOutcome, StoreError>]
        do {
            outcomes = try await pool.write { db in
                var released = Set<Int64>()
                let outcomes = try writes.map { try $0.apply(db, released: &released) }
                try QueueQueries.releaseBodies(of: released, db)
                return outcomes
            }
        } catch {
            let mapped = SQLiteErrorMapping.map(error)
            logger.error("group commit failed", metadata: ["writes": "\(batch.count)", "error": "\(error)"])
            for waiting in batch { waiting.continuation.resume(throwing: mapped) }
            return
        }
        metrics.record(.commitBatch, since: start)
        metrics.recordBatch(size: batch.count)
        statistics.record(batchSize: batch.count)
        for (waiting, outcome) in zip(batch, outcomes) {
            waiting.continuation.resume(with: outcome.mapError { $0 as any Error })
        }
    }
}

/// Counters of the group-commit writer since the store opened.
struct BatchStatistics: Sendable, Equatable {
    var batches = 0
    var writes = 0
    var largestBatch = 0

    mutating func record(batchSize: Int) {
        batches += 1
        writes += batchSize
        largestBatch = max(largestBatch, batchSize)
    }
}
