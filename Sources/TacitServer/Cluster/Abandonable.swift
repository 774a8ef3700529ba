import Synchronization

/// Runs `operation` in a task of its own and returns its result, or throws
/// `CancellationError` as soon as the caller is cancelled, leaving `operation` behind.
///
/// For awaits that ignore cancellation: postgres-nio 1.33 never answers a query written to a
/// connection the server has just closed, and an `EventLoopFuture` cannot be cancelled. Awaited
/// directly inside the cluster link's task group, either would keep the group (and the node's
/// shutdown) waiting forever; through this, cancelling the group ends it.
func abandonable<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = AbandonableOutcome<T>()
    let work = Task { outcome.settle(await AbandonableOutcome<T>.capture(operation)) }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { outcome.wait($0) }
    } onCancel: {
        work.cancel()
        outcome.settle(.failure(CancellationError()))
    }
}

/// The first result of an ``abandonable(_:)`` operation, handed to its waiter.
private final class AbandonableOutcome<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
    }

    private let state = Mutex(State())

    static func capture(_ operation: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await operation()) } catch { return .failure(error) }
    }

    func settle(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let ready = state.withLock { state -> Result<T, any Error>? in
            if let result = state.result { return result }
            state.waiter = continuation
            return nil
        }
        if let ready { continuation.resume(with: ready) }
    }
}
