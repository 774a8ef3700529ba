import Logging
import PostgresNIO

/// Writes enqueues and acknowledgements in shared transactions: one `COMMIT`, one WAL
/// flush, for everything that arrived while the previous commit was on its way.
///
/// As in the SQLite store there is no timer: a write arriving at an idle writer is
/// committed at once, alone; writes arriving meanwhile wait in ``waiting`` and form the
/// next batch (at most `maxBatchSize`, first come first served). With
/// `concurrentBatches > 1` several batches may be committing at once, on separate pooled
/// connections. Each caller is answered only after the transaction holding its write
/// committed.
///
/// Batching matters more here than plain connection parallelism: enqueues to one device
/// lock its row until they commit (that is what keeps queue ids in commit order), so
/// without batching, every message to a busy device would wait for the previous one's
/// commit. A batch takes such a lock once for all of its writes, and sends all of its
/// enqueues in one call, and its acknowledgements in another (see
/// ``PostgresBatchedWrite/apply(_:_:logger:)``): four round trips with BEGIN and COMMIT,
/// however large the batch.
actor PostgresGroupCommitWriter {
    private struct Waiting {
        let write: PostgresBatchedWrite
        let continuation: CheckedContinuation<PostgresWriteOutcome, any Error>
    }

    private let client: PostgresClient
    private let maxBatchSize: Int
    private let concurrentBatches: Int
    private let attempts: Int
    private let metrics: StoreMetrics
    private let logger: Logger

    private var waiting: [Waiting] = []
    private var committing = 0
    private var isClosed = false
    private var drained: [CheckedContinuation<Void, Never>] = []
    private(set) var statistics = PostgresBatchStatistics()

    init(client: PostgresClient, configuration: PostgresStore.Configuration, metrics: StoreMetrics) {
        self.client = client
        self.maxBatchSize = max(1, configuration.maxBatchSize)
        self.concurrentBatches = max(1, configuration.concurrentBatches)
        self.attempts = max(1, configuration.transactionAttempts)
        self.metrics = metrics
        self.logger = configuration.logger
    }

    /// Queues `write` for the next batch and returns once that batch committed.
    func submit(_ write: PostgresBatchedWrite) async throws -> PostgresWriteOutcome {
        guard !isClosed else { throw StoreError.closed }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(write: write, continuation: continuation))
            startBatches()
        }
    }

    /// Refuses new writes, and returns once every write already submitted was answered.
    func close() async {
        isClosed = true
        guard committing > 0 || !waiting.isEmpty else { return }
        await withCheckedContinuation { drained.append($0) }
    }

    private func startBatches() {
        while committing < concurrentBatches, !waiting.isEmpty {
            let count = min(waiting.count, maxBatchSize)
            let batch = Array(waiting.prefix(count))
            waiting.removeFirst(count)
            committing += 1
            Task { await commit(batch) }
        }
    }

    private func commit(_ batch: [Waiting]) async {
        answer(batch, with: await transaction(batch.map(\.write)))
        committing -= 1
        startBatches()
        if committing == 0, waiting.isEmpty {
            let waiters = drained
            drained = []
            for waiter in waiters { waiter.resume() }
        }
    }

    private func transaction(_ writes: [PostgresBatchedWrite]) async -> Result<[Result<PostgresWriteOutcome, StoreError>], any Error> {
        let start = ContinuousClock.now
        let logger = self.logger
        do {
            let outcomes = try await PostgresTransaction.run(client, logger: logger, attempts: attempts) { connection in
                try await PostgresBatchedWrite.apply(writes, connection, logger: logger)
            }
            metrics.record(.commitBatch, since: start)
            metrics.recordBatch(size: writes.count)
            statistics.record(batchSize: writes.count)
            return .success(outcomes)
        } catch {
            logger.error("group commit failed", metadata: [
                "writes": "\(writes.count)", "error": "\(PostgresErrorMapping.describe(error))",
            ])
            return .failure(PostgresErrorMapping.map(error))
        }
    }

    private func answer(_ batch: [Waiting],
                        with result: Result<[Result<PostgresWriteOutcome, StoreError>], any Error>) {
        switch result {
        case .success(let outcomes):
            for (waiting, outcome) in zip(batch, outcomes) {
                waiting.continuation.resume(with: outcome.mapError { $0 as any Error })
            }
        case .failure(let error):
            for waiting in batch { waiting.continuation.resume(throwing: error) }
        }
    }
}

/// Counters of the group-commit writer since the store opened.
struct PostgresBatchStatistics: Sendable, Equatable {
    var batches = 0
    var writes = 0
    var largestBatch = 0

    mutating func record(batchSize: Int) {
        batches += 1
        writes += batchSize
        largestBatch = max(largestBatch, batchSize)
    }
}
