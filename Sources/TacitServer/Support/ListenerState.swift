import Synchronization

/// Whether the listener is up yet, for callers that wait for the bound port.
final class ListenerState: Sendable {
    private enum State {
        case starting([CheckedContinuation<Int, any Error>])
        case listening(Int)
        case stopped
    }

    private let state = Mutex(State.starting([]))

    func listening(on port: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int, any Error>] in
            guard case .starting(let waiters) = state else { return [] }
            state = .listening(port)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    func stopped() {
        let waiters = state.withLock { state -> [CheckedContinuation<Int, any Error>] in
            let waiters: [CheckedContinuation<Int, any Error>]
            if case .starting(let pending) = state { waiters = pending } else { waiters = [] }
            state = .stopped
            return waiters
        }
        for waiter in waiters { waiter.resume(throwing: TacitServerError.notRunning) }
    }

    func port() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<Int, any Error>? = state.withLock { state in
                switch state {
                case .starting(var waiters):
                    waiters.append(continuation)
                    state = .starting(waiters)
                    return nil
                case .listening(let port):
                    return .success(port)
                case .stopped:
                    return .failure(TacitServerError.notRunning)
                }
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }
}
