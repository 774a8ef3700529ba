import Foundation
import Synchronization

/// Remembers the nonces of recently accepted blob requests, so a captured request cannot be
/// sent again while its timestamp is still inside the skew window.
///
/// An entry is kept for twice the skew window after it was accepted: a replay with the same
/// timestamp fails the skew check after that. Memory is bounded by ``capacity``; when full,
/// new requests are refused (retryable) rather than old entries forgotten early.
final class BlobReplayGuard: Sendable {
    private struct Key: Hashable {
        var device: UInt64
        var nonce: [UInt8]
    }

    private struct State {
        var seen: Set<Key> = []
        /// Accepted keys in acceptance order, with the time each may be forgotten.
        var order: [(key: Key, forgetAt: ContinuousClock.Instant)] = []
        var head = 0
    }

    enum Outcome: Equatable { case accepted, replayed, full }

    let capacity: Int
    private let retention: Duration
    private let state = Mutex(State())

    init(skew: Duration, capacity: Int = 1_000_000) {
        self.retention = skew * 2
        self.capacity = capacity
    }

    func admit(device: UInt64, nonce: [UInt8], now: ContinuousClock.Instant = .now) -> Outcome {
        let key = Key(device: device, nonce: nonce)
        return state.withLock { state in
            while state.head < state.order.count, state.order[state.head].forgetAt <= now {
                state.seen.remove(state.order[state.head].key)
                state.head += 1
            }
            if state.head > 4096, state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
            guard !state.seen.contains(key) else { return .replayed }
            guard state.seen.count < capacity else { return .full }
            state.seen.insert(key)
            state.order.append((key, now + retention))
            return .accepted
        }
    }
}
