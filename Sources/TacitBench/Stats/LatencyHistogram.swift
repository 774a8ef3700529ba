import Histogram

/// Latencies in microseconds, 1 µs to 60 s at three significant digits.
public struct LatencyHistogram: Sendable {
    private var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000,
                                             numberOfSignificantValueDigits: .three)

    public init() {}

    public var count: UInt64 { histogram.totalCount }

    public mutating func record(nanoseconds: UInt64) {
        let micros = Swift.max(1, Swift.min(nanoseconds / 1_000, 60_000_000))
        _ = histogram.record(micros)
    }

    public mutating func add(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
    }

    /// The summary the reports print; zeros when nothing was recorded.
    public var summary: LatencySummary {
        guard histogram.totalCount > 0 else { return LatencySummary() }
        func ms(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1_000 }
        return LatencySummary(count: histogram.totalCount, minMs: Double(histogram.min) / 1_000,
                              p50Ms: ms(50), p90Ms: ms(90), p99Ms: ms(99), p999Ms: ms(99.9),
                              maxMs: Double(histogram.max) / 1_000)
    }
}

/// Percentiles of a ``LatencyHistogram``, in milliseconds.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var count: UInt64 = 0
    public var minMs: Double = 0
    public var p50Ms: Double = 0
    public var p90Ms: Double = 0
    public var p99Ms: Double = 0
    public var p999Ms: Double = 0
    public var maxMs: Double = 0
}
