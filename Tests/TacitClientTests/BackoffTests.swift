import Testing
@testable import TacitClient

/// A deterministic generator, so jitter bounds are checked on known draws.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct BackoffTests {
    let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5), multiplier: 2)

    @Test func ceilingDoublesUntilTheMaximum() {
        #expect(backoff.ceiling(attempt: 0) == .milliseconds(100))
        #expect(backoff.ceiling(attempt: 1) == .milliseconds(200))
        #expect(backoff.ceiling(attempt: 3) == .milliseconds(800))
        #expect(backoff.ceiling(attempt: 6) == .seconds(5))
        #expect(backoff.ceiling(attempt: 10_000) == .seconds(5))
    }

    @Test func delayStaysBetweenHalfTheCeilingAndTheCeiling() {
        var generator = SplitMix(state: 7)
        for attempt in 0..<12 {
            let ceiling = backoff.ceiling(attempt: attempt)
            for _ in 0..<50 {
                let delay = backoff.delay(attempt: attempt, using: &generator)
                #expect(delay >= ceiling / 2 && delay <= ceiling, "attempt \(attempt): \(delay)")
            }
        }
    }

    @Test func jitterSpreadsDelays() {
        var generator = SplitMix(state: 42)
        let delays = Set((0..<20).map { _ in backoff.delay(attempt: 4, using: &generator) })
        #expect(delays.count > 10)
    }

    @Test func nonsenseParametersAreClamped() {
        let odd = Backoff(initial: .seconds(2), maximum: .seconds(1), multiplier: 0.5)
        #expect(odd.maximum == .seconds(2))
        #expect(odd.ceiling(attempt: 5) == .seconds(2))
    }
}
