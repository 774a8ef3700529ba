import Benchmark
import TacitMLS

/// One member encrypts an application message and another decrypts it.
func applicationMessageBenchmarks() {
    for (name, size) in [("100 B", 100), ("1 MiB", 1 << 20)] {
        let settings = size > 1_000 ? BenchmarkSettings.slow : BenchmarkSettings.fast
        let payload = [UInt8](repeating: 0x61, count: size)
        Benchmark("Encrypt+decrypt round trip (\(name))", configuration: settings) { benchmark, pair in
            for _ in benchmark.scaledIterations {
                let message = try pair.sender.encrypt(payload)
                blackHole(try pair.receiver.decrypt(message))
            }
        } setup: {
            try ConversationPair()
        }
    }
}
