import Foundation
import Logging
import Prometheus
import TacitServer
import TacitStore
import Testing
@testable import TacitBench

/// A real server on a free loopback port with a fresh SQLite store. The bench reaches it
/// only through its socket, as it would reach a server in another process.
private struct BenchTestServer {
    let running: RunningTacitServer
    let directory: String

    var address: BenchServerAddress { BenchServerAddress(host: "127.0.0.1", port: running.port) }

    static func start() async throws -> BenchTestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-bench-test-\(UUID().uuidString)").path
        var configuration = ServerConfiguration(port: 0, dataDirectory: directory)
        configuration.rateLimit = .init(requestsPerSecond: 100_000, burst: 100_000)
        var logger = Logger(label: "bench.test.server")
        logger.logLevel = .critical
        let registry = PrometheusCollectorRegistry()
        let store = try TacitServer.openSQLiteStore(configuration: configuration, metricsRegistry: registry, logger: logger)
        let server = try TacitServer(configuration: configuration, store: store, metricsRegistry: registry, logger: logger)
        return BenchTestServer(running: try await server.start(logger: logger), directory: directory)
    }

    func stop() async throws {
        try await running.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

@Suite(.serialized, .timeLimit(.minutes(2))) struct BenchWorkloadTests {
    @Test(.disabled("the in-process server is not found by pid/metrics yet; issue 6 note"))
    func connectionsReachesTheCountAndTheServerSeesThem() async throws {
        let server = try await BenchTestServer.start()
        // Two in-process workers, from two source addresses.
        let options = ConnectionsOptions(server: server.address, count: 6, perWorker: 3, hold: 0.5,
                                         sources: ["127.0.0.2", "127.0.0.3"], concurrency: 4)
        let report = try await ConnectionsWorkload.run(options, launcher: nil)
        try await server.stop()
        #expect(report.workers == 2)
        #expect(report.connected == 6)
        #expect(report.failed == 0)
        #expect(report.droppedWhileHeld == 0)
        #expect(report.login.count == 6)
        #expect(report.serverOpenConnections == 6)
        #expect(report.serverPID == getpid())
        #expect(report.serverRSSHeldBytes != nil)
    }

    @Test(.disabled("reports no deliveries yet; issue 6 note"))
    func messagesWithAWindowArriveOnceAndInOrder() async throws {
        let server = try await BenchTestServer.start()
        let options = MessagesOptions(server: server.address, pairs: 3, load: .window(4), bodySize: 64, duration: 1,
                                      warmup: 0.2)
        let report = try await MessagesWorkload.run(options)
        try await server.stop()
        #expect(report.sent > 0)
        #expect(report.delivered == report.sent)
        #expect(report.lost == 0 && report.duplicated == 0 && report.reordered == 0)
        #expect(report.errors.isEmpty)
        #expect(report.latency.count > 0)
        #expect(report.deliveredPerSecond > 0)
        #expect(report.isClean)
    }

    @Test(.disabled("loses in-flight messages at the end of the run; issue 6 note"))
    func messagesAtAnOfferedRateSendThatRate() async throws {
        let server = try await BenchTestServer.start()
        let options = MessagesOptions(server: server.address, pairs: 2, load: .rate(400), bodySize: 100, duration: 1,
                                      warmup: 0)
        let report = try await MessagesWorkload.run(options)
        try await server.stop()
        #expect(report.delivered == report.sent)
        #expect(report.isClean)
        // 400/s for one second, within scheduling slack.
        #expect((300...440).contains(report.sent))
        #expect(report.deliveredPerSecond > 250)
    }

    @Test func groupFanOutReachesEveryMemberEveryRound() async throws {
        let server = try await BenchTestServer.start()
        let options = GroupOptions(server: server.address, members: 5, rounds: 4, warmupRounds: 1)
        let report = try await GroupWorkload.run(options)
        try await server.stop()
        #expect(report.members == 5)
        #expect(report.rounds == 4)
        #expect(report.delivered == 5 * 5)
        #expect(report.last.count == 4)
        #expect(report.lost == 0 && report.duplicated == 0)
        #expect(report.errors.isEmpty)
        #expect(report.last.p50Ms >= report.first.p50Ms)
    }
}
