import Synchronization

/// Counts the operations running on a store so that closing it can wait for them.
///
/// After ``close()`` began, ``enter()`` refuses new operations with ``StoreError/closed``;
/// ``close()`` returns once every operation that entered before has left. A store closes
/// its connections only then, so no operation that was let in loses its connection
/// half-way (an enqueue either commits and is acknowledged, or never started).
final class PostgresOperationGate: Sendable {
    private struct State {
        var isClosed = false
        var running = 0
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var isClosed: Bool { state.withLock { $0.isClosed } }

    func enter() throws {
        try state.withLock { state in
            guard !state.isClosed else { throw StoreError.closed }
            state.running += 1
        }
    }

    func leave() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.isClosed, state.running == 0 else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Refuses new operations and waits for the running ones. Returns `false` if the gate
    /// was closed before (by this or another call).
    @discardableResult
    func close() async -> Bool {
        let first = state.withLock { state in
            defer { state.isClosed = true }
            return !state.isClosed
        }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.running == 0 { return true }
                state.drained.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        return first
    }

    /// Runs `body` as one operation.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        return try await body()
    }
}
