import GRDB
import Synchronization

/// Runs the reads that arrive together in one read transaction: one trip to a reader
/// connection for all of them.
///
/// A GRDB `read` is several thread hand-offs (the pool's wait queue, the reader's queue,
/// back to the caller). Under a delivery load every committed batch wakes dozens of
/// connections at once, each reading its queue, and those hand-offs rather than SQLite set
/// the latency: about 100 ms per read with 200 devices on one core, for a query that takes
/// tens of microseconds. Grouped, a burst costs one hand-off.
///
/// Each read still sees every commit that finished before it was asked for: a batch's
/// transaction begins only after all of its reads were submitted. Reads that fail fail
/// alone; the others of the batch still get their rows. At most `maxConcurrentBatches`
/// batches run at once (one per reader connection), at most `maxBatchSize` reads each.
final class GroupedReader: Sendable {
    private struct Job: Sendable {
        /// Runs the read, keeping its result for ``answer``.
        let run: @Sendable (Database) -> Void
        /// Hands the kept result to the caller.
        let answer: @Sendable () -> Void
        /// Answers the caller when the batch could not run at all.
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var waiting: [Job] = []
        var running = 0
        var batches = 0
        var reads = 0
    }

    private let pool: DatabasePool
    private let maxBatchSize: Int
    private let maxConcurrentBatches: Int
    private let state = Mutex(State())

    init(pool: DatabasePool, maxBatchSize: Int = 256, maxConcurrentBatches: Int) {
        self.pool = pool
        self.maxBatchSize = max(1, maxBatchSize)
        self.maxConcurrentBatches = max(1, maxConcurrentBatches)
    }

    /// Runs `body` in the next read transaction and returns its result.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let answer = Answer(continuation)
            let job = Job(run: { db in answer.keep(Result { try body(db) }) },
                          answer: { answer.resumeWithKept() },
                          fail: { answer.resume(with: .failure($0)) })
            let startRunner = state.withLock { state -> Bool in
                state.waiting.append(job)
                guard state.running < maxConcurrentBatches else { return false }
                state.running += 1
                return true
            }
            if startRunner { Task { await self.runBatches() } }
        }
    }

    /// Batches started and reads they carried, since the reader was made.
    var statistics: (batches: Int, reads: Int) { state.withLock { ($0.batches, $0.reads) } }

    /// Reads submitted that no batch has taken yet.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Serves batches until nothing waits.
    private func runBatches() async {
        while let batch = nextBatch() {
            do {
                // Every job catches its own error, so this throws when no job ran (the pool
                // is closed, the transaction could not begin); an answered job ignores `fail`.
                try await pool.read { db in
                    for job in batch { job.run(db) }
                }
                // Answered only once the reader connection is back in the pool: a caller that
                // closes the store next must not find it still in use (closing waits for it).
                for job in batch { job.answer() }
            } catch {
                for job in batch { job.fail(error) }
            }
        }
    }

    private func nextBatch() -> [Job]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            let count = min(state.waiting.count, maxBatchSize)
            let batch = Array(state.waiting.prefix(count))
            state.waiting.removeFirst(count)
            state.batches += 1
            state.reads += count
            return batch
        }
    }
}

/// A caller's continuation, resumed at most once whatever happens to its batch.
private final class Answer<T: Sendable>: Sendable {
    private let continuation: CheckedContinuation<T, any Error>
    private let answered = Atomic(false)
    private let kept = Mutex<Result<T, any Error>?>(nil)

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = continuation
    }

    func keep(_ result: Result<T, any Error>) {
        kept.withLock { $0 = result }
    }

    func resumeWithKept() {
        resume(with: kept.withLock({ $0 }) ?? .failure(StoreError.unavailable("a grouped read kept no result")))
    }

    func resume(with result: Result<T, any Error>) {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        continuation.resume(with: result)
    }
}
