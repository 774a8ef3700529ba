import Synchronization
import TacitStore

/// Bounds how long a request waits for the store.
///
/// postgres-nio's pool keeps a request waiting for a connection while it cannot open one,
/// for up to a minute, before failing it. A request that waits that long helps nobody:
/// after the deadline it fails as ``StoreError/unavailable(_:)`` (the client sees a
/// retryable `retryLater`), and the operation is cancelled. An enqueue cut off this way
/// may still commit later; that is safe, because the client retries under the same
/// message id and the store answers the retry as a duplicate.
enum StoreDeadline {
    static func run<T: Sendable>(_ limit: Duration, _ operation: String,
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let race = Race(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                race.timeOut(StoreError.unavailable("the database did not answer \(operation) in time"))
            }
            race.start(Task {
                let result: Result<T, any Error>
                do {
                    result = .success(try await body())
                } catch {
                    result = .failure(error)
                }
                timer.cancel()
                race.complete(result)
            })
        }
    }

    /// Resumes the caller once, with whichever comes first, and cancels the operation if
    /// the timer won.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var work: Task<Void, Never>?
            var timedOut = false
        }

        private let state: Mutex<State>

        init(_ continuation: CheckedContinuation<T, any Error>) {
            state = Mutex(State(continuation: continuation))
        }

        func start(_ work: Task<Void, Never>) {
            let cancelNow = state.withLock { state in
                state.work = work
                return state.timedOut
            }
            if cancelNow { work.cancel() }
        }

        /// The operation ended first.
        func complete(_ result: Result<T, any Error>) {
            let continuation = state.withLock { state in
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(with: result)
        }

        /// The deadline passed first: answer now, and stop the operation.
        func timeOut(_ error: any Error) {
            let (continuation, work) = state.withLock { state in
                defer {
                    state.continuation = nil
                    state.timedOut = true
                }
                return (state.continuation, state.work)
            }
            guard let continuation else { return }
            continuation.resume(throwing: error)
            work?.cancel()
        }
    }
}
