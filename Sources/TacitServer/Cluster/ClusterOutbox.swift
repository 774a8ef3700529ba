import Foundation
import Synchronization
import TacitStore

/// What this node still has to publish, merged while the previous notification is on its
/// way: wakeups for one device collapse into one, so a busy node sends few, full payloads.
///
/// ``next()`` waits until something is queued. Everything here is bounded: past
/// ``maxQueued`` wakeups the oldest are dropped (the catch-up re-reads those queues).
final class ClusterOutbox: Sendable {
    /// Messages taken out together, in the order they should be published.
    struct Batch: Sendable, Equatable {
        var claims: [ConnectionClaim] = []
        var revocations: [DeviceID] = []
        var wakeups: [DeviceID] = []

        var isEmpty: Bool { claims.isEmpty && revocations.isEmpty && wakeups.isEmpty }

        var messages: [ClusterMessage] {
            var messages: [ClusterMessage] = []
            if !claims.isEmpty { messages.append(.claim(claims)) }
            if !revocations.isEmpty { messages.append(.revoke(revocations)) }
            if !wakeups.isEmpty { messages.append(.wake(wakeups)) }
            return messages
        }
    }

    static let maxQueued = 100_000

    private struct State {
        var claims: [ConnectionClaim] = []
        var revocations: [DeviceID] = []
        var wakeups: [DeviceID] = []
        var queuedWakeups: Set<DeviceID> = []
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func add(_ message: ClusterMessage) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            switch message {
            case .wake(let devices):
                for device in devices where state.queuedWakeups.insert(device).inserted {
                    state.wakeups.append(device)
                }
                if state.wakeups.count > Self.maxQueued {
                    let dropped = state.wakeups.count - Self.maxQueued
                    for device in state.wakeups.prefix(dropped) { state.queuedWakeups.remove(device) }
                    state.wakeups.removeFirst(dropped)
                }
            case .claim(let claims):
                state.claims.append(contentsOf: claims)
                if state.claims.count > Self.maxQueued { state.claims.removeFirst(state.claims.count - Self.maxQueued) }
            case .revoke(let devices):
                state.revocations.append(contentsOf: devices)
                if state.revocations.count > Self.maxQueued {
                    state.revocations.removeFirst(state.revocations.count - Self.maxQueued)
                }
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Puts a batch that could not be published back in front of what came since.
    func putBack(_ batch: Batch) {
        state.withLock { state in
            state.claims = batch.claims + state.claims
            state.revocations = batch.revocations + state.revocations
            let fresh = state.wakeups
            state.wakeups = batch.wakeups.filter { state.queuedWakeups.insert($0).inserted } + fresh
        }
    }

    /// Takes everything queued, waiting until there is something. Returns `nil` when the
    /// task is cancelled.
    func next() async -> Batch? {
        while true {
            if Task.isCancelled { return nil }
            if let batch = take() { return batch }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> Bool in
                        // Checked under the lock that onCancel takes, so a cancellation is never missed.
                        if Task.isCancelled || !state.claims.isEmpty || !state.revocations.isEmpty
                            || !state.wakeups.isEmpty {
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { state in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
        }
    }

    private func take() -> Batch? {
        state.withLock { state in
            let batch = Batch(claims: state.claims, revocations: state.revocations, wakeups: state.wakeups)
            guard !batch.isEmpty else { return nil }
            state.claims = []
            state.revocations = []
            state.wakeups = []
            state.queuedWakeups = []
            return batch
        }
    }
}
