import NIOCore
import NIOPosix

/// Runs `tacit bench group`: registers a sender and `members` members, then sends `rounds`
/// messages one after the other, each to every member.
public enum GroupWorkload {
    public static func run(_ options: GroupOptions,
                           progress: @Sendable (String) -> Void = { _ in }) async throws -> GroupReport {
        try options.validate()
        return try await SingleLoop.run { group in try await run(options, group: group, progress: progress) }
    }

    private static func run(_ options: GroupOptions, group: MultiThreadedEventLoopGroup,
                            progress: @Sendable (String) -> Void) async throws -> GroupReport {
        let names = BenchUsernames()
        let fresh = (0...options.members).map { BenchDevice(username: names.name($0)) }
        progress("registering \(fresh.count) devices")
        let (devices, sockets) = try await BenchAccounts.register(fresh, servers: options.servers, sources: options.sources,
                                                                  group: group, concurrency: 32)
        defer { for socket in sockets { socket.close() } }
        let loop = sockets[0].eventLoop
        let fanOut = try await loop.submit { GroupFanOut(options: options, devices: devices, sockets: sockets) }.get()
        progress("sending \(options.rounds + options.warmupRounds) rounds to \(options.members) members")
        for _ in 0..<(options.rounds + options.warmupRounds) {
            let done = loop.flatSubmit { fanOut.sendRound() }
                .timeout(after: .nanoseconds(Int64(options.roundTimeout * 1e9)), on: loop)
            do {
                try await done.get()
            } catch {
                try await loop.submit { fanOut.abandonRound() }.get()
                break
            }
        }
        var report = try await loop.submit { fanOut.report() }.get()
        report.rounds = max(0, report.rounds - options.warmupRounds)
        return report
    }
}

extension EventLoopFuture where Value: Sendable {
    /// This future, or a ``BenchError/timedOut(_:)`` failure after `timeout`.
    func timeout(after timeout: TimeAmount, on loop: any EventLoop) -> EventLoopFuture<Value> {
        let promise = loop.makePromise(of: Value.self)
        let timer = loop.scheduleTask(in: timeout) { promise.fail(BenchError.timedOut("a fan-out round")) }
        whenComplete { result in
            timer.cancel()
            promise.completeWith(result)
        }
        return promise.futureResult
    }
}
