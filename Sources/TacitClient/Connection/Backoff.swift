import Foundation

/// Exponential backoff with jitter, for reconnecting and retrying.
///
/// Attempt `n` (from 0) waits a random time in `[base/2, base]` where
/// `base = min(maximum, initial * multiplier^n)`. The random half spreads clients out so
/// that a restarted server is not hit by all of them at the same instant, while the fixed
/// half keeps the delay growing.
public struct Backoff: Sendable, Equatable {
    /// The ceiling of the first delay.
    public var initial: Duration
    /// The largest ceiling, however many attempts failed.
    public var maximum: Duration
    /// How much the ceiling grows per attempt (at least 1).
    public var multiplier: Double

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(15), multiplier: Double = 2) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.multiplier = max(1, multiplier)
    }

    /// The ceiling of the delay before attempt `attempt`, before jitter.
    public func ceiling(attempt: Int) -> Duration {
        let initialSeconds = initial.seconds
        let maximumSeconds = maximum.seconds
        // Exponent capped so the power cannot overflow to infinity.
        let grown = initialSeconds * pow(multiplier, Double(min(max(attempt, 0), 64)))
        return .seconds(min(grown, maximumSeconds))
    }

    /// The delay before attempt `attempt`, drawn with `generator`.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(attempt: attempt).seconds
        return .seconds(Double.random(in: (ceiling / 2)...ceiling, using: &generator))
    }

    /// The delay before attempt `attempt`, drawn with the system generator.
    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
