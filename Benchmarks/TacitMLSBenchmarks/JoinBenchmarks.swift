import Benchmark
import TacitMLS

/// Joining from a Welcome that carries the ratchet tree (every leaf signature is verified).
func joinBenchmarks() {
    for size in [2, 128, 1_024] {
        let settings = size >= 1_024 ? BenchmarkSettings.slow : BenchmarkSettings.fast
        Benchmark("Join from Welcome (group of \(size + 1))", configuration: settings) { benchmark, scenario in
            for _ in benchmark.scaledIterations {
                blackHole(try MLSGroup.join(welcome: scenario.welcome, keyPackage: scenario.newcomer))
            }
        } setup: {
            try AddOneMemberScenario(groupSize: size, pathPolicy: .whenRequired)
        }
    }
}
