import Benchmark

/// Short runs: the suite must finish in a few minutes on a 2-core machine.
enum BenchmarkSettings {
    static var metrics: [BenchmarkMetric] { [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident] }

    /// Operations well under 10 ms.
    static var fast: Benchmark.Configuration {
        Benchmark.Configuration(metrics: metrics, timeUnits: .microseconds, warmupIterations: 3,
                                maxDuration: .seconds(2), maxIterations: 2_000)
    }
    /// Operations on 1,024-member groups and 1 MiB messages.
    static var slow: Benchmark.Configuration {
        Benchmark.Configuration(metrics: metrics, timeUnits: .milliseconds, warmupIterations: 2,
                                maxDuration: .seconds(3), maxIterations: 100)
    }
}
