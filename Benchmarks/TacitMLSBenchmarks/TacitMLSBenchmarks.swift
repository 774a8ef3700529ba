import Benchmark

/// The TacitMLS suite, run with `swift package benchmark --target TacitMLSBenchmarks`.
let benchmarks: @Sendable () -> Void = {
    keyPackageBenchmarks()
    commitBenchmarks()
    joinBenchmarks()
    applicationMessageBenchmarks()
}
