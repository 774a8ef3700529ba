import Foundation
import Logging
import TacitStore
import Testing
@testable import TacitBench

/// `tacit bench` against two `tacit server` nodes sharing one PostgreSQL database: every
/// pair's two devices sit on different nodes, so each message crosses the cluster link.
/// Needs `TACIT_TEST_DATABASE_URL` (scripts/test starts a PostgreSQL); never skipped.
@Suite(.serialized, .timeLimit(.minutes(2))) struct BenchClusterTests {
    @Test func messagesCrossTwoNodesOnceAndInOrder() async throws {
        guard let serverURL = ProcessInfo.processInfo.environment["TACIT_TEST_DATABASE_URL"], !serverURL.isEmpty else {
            Issue.record("TACIT_TEST_DATABASE_URL is not set: run scripts/test, or scripts/postgres start FILE first")
            return
        }
        var logger = Logger(label: "bench.test.postgres")
        logger.logLevel = .warning
        let server = try PostgresEndpoint(url: serverURL)
        let name = "tacit_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: server, logger: logger)
        var components = try #require(URLComponents(string: serverURL))
        components.path = "/" + name
        let databaseURL = try #require(components.string)
        // One data directory for both, so they share the server key (started one after the other).
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-bench-pg-\(UUID().uuidString)").path
        var nodes: [ServerChild] = []
        let result = await Result(catching: {
            nodes.append(try await ServerChild.start(databaseURL: databaseURL, dataDirectory: directory))
            nodes.append(try await ServerChild.start(databaseURL: databaseURL, dataDirectory: directory))
            let options = MessagesOptions(servers: nodes.map(\.address), pairs: 3, load: .window(2), bodySize: 64,
                                          duration: 1, warmup: 0.2)
            return try await MessagesWorkload.run(options)
        })
        for node in nodes { await node.stop() }
        try? FileManager.default.removeItem(atPath: directory)
        try? await PostgresDatabases.drop(name, on: server, logger: logger)
        let report = try result.get()
        #expect(report.sent > 0)
        #expect(report.delivered == report.sent)
        #expect(report.lost == 0 && report.duplicated == 0 && report.reordered == 0)
        #expect(report.errors.isEmpty)
        #expect(report.isClean)
    }
}
