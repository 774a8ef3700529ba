import Benchmark

/// Short runs: the suite must finish in a few minutes on a 2-core machine.
enum BenchmarkSettings {
    static var metrics: [BenchmarkMetric] { [.wallClock, .cpuTotal, .mallocCountTotal, .throughput] }

    /// Sub-microsecond operations, timed 1,000 at a time (`scaledIterations`).
    static var frames: Benchmark.Configuration {
        Benchmark.Configuration(metrics: metrics, timeUnits: .nanoseconds, warmupIterations: 10,
                                scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 10_000)
    }

    /// Store transactions (each one an fsync with the default durability).
    static var store: Benchmark.Configuration {
        Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .syscalls],
                                timeUnits: .microseconds, warmupIterations: 5, maxDuration: .seconds(3),
                                maxIterations: 2_000)
    }
}
