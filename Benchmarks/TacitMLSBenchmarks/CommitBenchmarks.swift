import Benchmark
import TacitMLS

/// Committing an Add to groups of growing size, and another member processing that Commit.
func commitBenchmarks() {
    let policies: [(name: String, policy: CommitOptions.PathPolicy)] = [("", .whenRequired), (", with path", .always)]
    for size in [2, 128, 1_024] {
        for (suffix, policy) in policies {
            let settings = size >= 1_024 ? BenchmarkSettings.slow : BenchmarkSettings.fast
            Benchmark("Commit add 1 (group of \(size)\(suffix))", configuration: settings) { benchmark, scenario in
                for _ in benchmark.scaledIterations {
                    var group = scenario.creator
                    benchmark.startMeasurement()
                    blackHole(try group.commit(adding: [scenario.newcomer.keyPackage], options: scenario.options))
                    benchmark.stopMeasurement()
                }
            } setup: {
                try AddOneMemberScenario(groupSize: size, pathPolicy: policy)
            }

            Benchmark("Process commit add 1 (group of \(size)\(suffix))", configuration: settings) { benchmark, scenario in
                for _ in benchmark.scaledIterations {
                    var group = scenario.member
                    benchmark.startMeasurement()
                    blackHole(try group.process(scenario.commit))
                    benchmark.stopMeasurement()
                }
            } setup: {
                try AddOneMemberScenario(groupSize: size, pathPolicy: policy)
            }
        }
    }
}
