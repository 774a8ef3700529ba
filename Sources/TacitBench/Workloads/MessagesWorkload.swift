import NIOCore
import NIOPosix

/// Runs `tacit bench messages` in this process: registers `2 × pairs` accounts, runs the
/// exchange on one event loop, waits for the stragglers and reports.
public enum MessagesWorkload {
    public static func run(_ options: MessagesOptions,
                           progress: @Sendable (String) -> Void = { _ in }) async throws -> MessagesReport {
        try options.validate()
        return try await SingleLoop.run { group in try await run(options, group: group, progress: progress) }
    }

    private static func run(_ options: MessagesOptions, group: MultiThreadedEventLoopGroup,
                            progress: @Sendable (String) -> Void) async throws -> MessagesReport {
        let names = BenchUsernames()
        let fresh = (0..<(2 * options.pairs)).map { BenchDevice(username: names.name($0)) }
        progress("registering \(fresh.count) devices")
        let (devices, sockets) = try await BenchAccounts.register(fresh, servers: options.servers, sources: options.sources,
                                                                  group: group, concurrency: 32)
        defer { for socket in sockets { socket.close() } }
        let loop = sockets[0].eventLoop
        let exchange = try await loop.submit { MessageExchange(options: options, devices: devices, sockets: sockets) }.get()
        progress("sending for \(options.warmup) s warm-up + \(options.duration) s")
        // Offer load until the window closes, then drain: wait (bounded) for what is still
        // on its way before counting, so only messages that never arrive count as lost.
        try await loop.flatSubmit { exchange.start() }.get()
        progress("draining (at most \(options.drainTimeout) s)")
        let deadline = ContinuousClock.now + .seconds(options.drainTimeout)
        while ContinuousClock.now < deadline {
            if try await loop.submit({ exchange.isDrained }).get() { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await loop.submit { exchange.report() }.get()
    }
}
