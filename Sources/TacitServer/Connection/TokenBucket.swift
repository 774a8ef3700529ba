/// A token bucket: holds up to `burst` tokens, refills at `ratePerSecond`, and each request
/// takes one. A value type driven by the caller's clock, so it is tested without sleeping.
struct TokenBucket: Sendable {
    let ratePerSecond: Double
    let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    init(ratePerSecond: Double, burst: Double, now: ContinuousClock.Instant) {
        self.ratePerSecond = max(0, ratePerSecond)
        self.burst = max(1, burst)
        self.tokens = self.burst
        self.last = now
    }

    /// Takes a token if one is available at `now`.
    mutating func take(now: ContinuousClock.Instant) -> Bool {
        let elapsed = now > last ? (now - last) : .zero
        last = max(last, now)
        tokens = min(burst, tokens + elapsed.timeInterval * ratePerSecond)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
