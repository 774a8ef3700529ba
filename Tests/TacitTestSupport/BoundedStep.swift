import Synchronization

/// A step of a test that did not finish in time.
public struct StepHung: Error, CustomStringConvertible {
    public var step: String
    public var seconds: Double
    public var description: String { "\(step) did not finish within \(seconds) s" }
}

/// Runs `body`, giving up after `seconds` with ``StepHung`` naming `step`.
///
/// Unlike a task group with a timer, this returns even when `body` ignores cancellation:
/// `body` runs in a task of its own, which is cancelled and left behind. A test's time
/// limit cancels its task but cannot end an await that ignores cancellation, so one such
/// await in a teardown (a server stop, a pool close) would otherwise hang the whole run
/// with nothing saying where; bounded, it fails the one test and names the step.
public func bounded<T: Sendable>(_ step: String, seconds: Double,
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = Outcome<T>()
    let work = Task { outcome.settle(await Result { try await body() }) }
    let timer = Task {
        try? await Task.sleep(for: .seconds(seconds))
        outcome.settle(.failure(StepHung(step: step, seconds: seconds)))
    }
    let result = await withTaskCancellationHandler {
        await withCheckedContinuation { outcome.wait($0) }
    } onCancel: {
        work.cancel()
    }
    timer.cancel()
    work.cancel()
    return try result.get()
}

/// The first result of a bounded step, handed to its waiter whichever comes first.
private final class Outcome<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<Result<T, any Error>, Never>?
    }

    private let state = Mutex(State())

    func settle(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<T, any Error>, Never>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    func wait(_ continuation: CheckedContinuation<Result<T, any Error>, Never>) {
        let ready = state.withLock { state -> Result<T, any Error>? in
            if let result = state.result { return result }
            state.waiter = continuation
            return nil
        }
        if let ready { continuation.resume(returning: ready) }
    }
}

extension Result where Failure == any Error {
    fileprivate init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
