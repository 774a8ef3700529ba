import Foundation
import Testing
@testable import TacitBench

/// Every mode, tiny, against a real `tacit server` child process (SQLite), checking the
/// counts the bench reports.
@Suite(.serialized, .timeLimit(.minutes(2))) struct BenchWorkloadTests {
    @Test func connectionsReachesTheCountAndTheServerSeesThem() async throws {
        let server = try await ServerChild.start()
        // Two in-process workers, from two source addresses.
        let options = ConnectionsOptions(servers: [server.address], count: 6, perWorker: 3, hold: 0.5,
                                         sources: ["127.0.0.2", "127.0.0.3"], concurrency: 4)
        let result = await Result(catching: { try await ConnectionsWorkload.run(options, launcher: nil) })
        await server.stop()
        let report = try result.get()
        #expect(report.workers == 2)
        #expect(report.connected == 6)
        #expect(report.failed == 0)
        #expect(report.droppedWhileHeld == 0)
        #expect(report.login.count == 6)
        #expect(report.serverOpenConnections == 6)
        #expect(report.serverPIDs == [server.pid])
        #expect(report.serverRSSBeforeBytes != nil)
        #expect(report.serverRSSHeldBytes != nil)
        #expect(report.serverBytesPerConnection != nil)
    }

    @Test func connectionsFromWorkerProcesses() async throws {
        let server = try await ServerChild.start()
        let options = ConnectionsOptions(servers: [server.address], count: 4, perWorker: 2, hold: 0.2,
                                         sources: ["127.0.0.4", "127.0.0.5"], concurrency: 2)
        let executable = try TacitExecutable.url().path
        let launcher = WorkerLauncher(executable: executable) { spec in
            ["bench", "worker"] + spec.servers.flatMap { ["--server", $0] }
                + ["--prefix", spec.usernamePrefix, "--first", "\(spec.first)", "--count", "\(spec.count)",
                   "--concurrency", "\(spec.concurrency)"] + (spec.source.map { ["--source", $0] } ?? [])
        }
        let result = await Result(catching: { try await ConnectionsWorkload.run(options, launcher: launcher) })
        await server.stop()
        let report = try result.get()
        #expect(report.workers == 2)
        #expect(report.connected == 4)
        #expect(report.failed == 0)
        #expect(report.droppedWhileHeld == 0)
        #expect(report.serverOpenConnections == 4)
    }

    @Test func messagesWithAWindowArriveOnceAndInOrder() async throws {
        let server = try await ServerChild.start()
        let options = MessagesOptions(servers: [server.address], pairs: 3, load: .window(4), bodySize: 64, duration: 1,
                                      warmup: 0.2)
        let result = await Result(catching: { try await MessagesWorkload.run(options) })
        await server.stop()
        let report = try result.get()
        #expect(report.sent > 0)
        #expect(report.delivered == report.sent)
        #expect(report.lost == 0 && report.duplicated == 0 && report.reordered == 0)
        #expect(report.errors.isEmpty)
        #expect(report.latency.count > 0)
        #expect(report.deliveredPerSecond > 0)
        #expect(report.isClean)
    }

    @Test func messagesAtAnOfferedRateSendThatRateAndDrain() async throws {
        let server = try await ServerChild.start()
        let options = MessagesOptions(servers: [server.address], pairs: 2, load: .rate(400), bodySize: 100,
                                      duration: 1, warmup: 0)
        let result = await Result(catching: { try await MessagesWorkload.run(options) })
        await server.stop()
        let report = try result.get()
        #expect(report.delivered == report.sent)
        #expect(report.isClean)
        // 400/s for one second, within scheduling slack.
        #expect((300...440).contains(report.sent))
        // Every message sent in the window has its latency counted, also the ones that
        // arrived during the drain (a loaded machine may delay some past the window).
        #expect(report.latency.count + 5 >= report.sent)
        // On a loaded machine every message may arrive only during the drain, so the
        // window's arrival rate can be 0; the window itself lasts the requested second.
        #expect(report.durationSeconds >= 0.9 && report.durationSeconds < 3)
        if !report.isClean || report.latency.count + 5 < report.sent { print(report.table.text) }
    }

    @Test func groupFanOutReachesEveryMemberEveryRound() async throws {
        let server = try await ServerChild.start()
        let options = GroupOptions(servers: [server.address], members: 5, rounds: 4, warmupRounds: 1)
        let result = await Result(catching: { try await GroupWorkload.run(options) })
        await server.stop()
        let report = try result.get()
        #expect(report.members == 5)
        #expect(report.rounds == 4)
        #expect(report.delivered == 5 * 5)
        #expect(report.last.count == 4)
        #expect(report.lost == 0 && report.duplicated == 0)
        #expect(report.errors.isEmpty)
        #expect(report.last.p50Ms >= report.first.p50Ms)
    }
}

extension Result where Failure == any Error {
    /// Runs `body`, keeping its error, so a test can stop its server before it rethrows.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
