import Benchmark
import TacitMLS

/// KeyPackage creation: two HPKE key pairs, one leaf-node and one KeyPackage signature.
func keyPackageBenchmarks() {
    Benchmark("KeyPackage create", configuration: BenchmarkSettings.fast) { benchmark, identity in
        for _ in benchmark.scaledIterations {
            blackHole(try KeyPackageBundle.create(suite: BenchmarkFixtures.suite, identity: identity))
        }
    } setup: {
        try BenchmarkFixtures.identity("alice")
    }
}
