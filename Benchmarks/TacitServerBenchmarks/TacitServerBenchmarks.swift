import Benchmark

/// The server's hot paths, run with `swift package benchmark --target TacitServerBenchmarks`:
/// decoding and encoding the frames every message passes through, and the store's
/// group-commit transaction that makes a batch of sends (and their acks) durable.
let benchmarks: @Sendable () -> Void = {
    wireFrameBenchmarks()
    storeCommitBenchmarks()
}
