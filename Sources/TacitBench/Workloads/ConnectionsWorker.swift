import Foundation
import NIOCore
import NIOPosix

/// One worker's share of `tacit bench connections`: registers its accounts, then on command
/// opens one authenticated socket per account and holds them until told to stop.
/// Runs inside a worker process (see ``WorkerProcess``) or, for small runs and tests, in-process.
public final class ConnectionsWorker: Sendable {
    public struct Spec: Sendable, Codable, Equatable {
        /// Account `first + i` connects to `servers[(first + i) % servers.count]`.
        public var servers: [String]
        public var usernamePrefix: String
        public var first: Int
        public var count: Int
        public var source: String?
        public var concurrency: Int

        public init(servers: [String], usernamePrefix: String, first: Int, count: Int, source: String?, concurrency: Int) {
            self.servers = servers
            self.usernamePrefix = usernamePrefix
            self.first = first
            self.count = count
            self.source = source
            self.concurrency = concurrency
        }
    }

    /// What a worker reports once its sockets are up.
    public struct Connected: Sendable, Codable, Equatable {
        public var connected: Int
        public var failed: Int
        /// Login latency of each connection, in microseconds.
        public var latenciesMicros: [UInt64]
        public var firstError: String?
    }

    private let spec: Spec
    private let servers: [BenchServerAddress]
    private let group: MultiThreadedEventLoopGroup
    private let state = Locked(State())

    private struct State {
        var devices: [BenchDevice] = []
        var sockets: [BenchSocket] = []
    }

    public init(spec: Spec) throws {
        self.spec = spec
        self.servers = try BenchServerAddress.list(parsing: spec.servers)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Registers the worker's accounts (closing those sockets); returns how many.
    public func register() async throws -> Int {
        let names = BenchUsernames(prefix: spec.usernamePrefix)
        let fresh = (spec.first..<(spec.first + spec.count)).map { BenchDevice(username: names.name($0)) }
        // Rotated so that account `first + i` lands on the same node as in any other split.
        let offset = spec.first % servers.count
        let rotated = Array(servers[offset...] + servers[..<offset])
        let devices = try await BenchAccounts.registerClosing(fresh, servers: rotated, sources: [spec.source],
                                                              group: group, concurrency: spec.concurrency)
        state.withLock { $0.devices = devices }
        return devices.count
    }

    /// Opens and authenticates one socket per registered account and keeps them.
    public func connect() async throws -> Connected {
        let devices = state.withLock { $0.devices }
        let servers = servers
        let first = spec.first
        let source = spec.source
        let group = group
        let outcomes = try await BenchAccounts.forEach(devices.count, concurrency: spec.concurrency) { index in
            let start = MonotonicClock.nanoseconds
            do {
                let server = servers[(first + index) % servers.count]
                let socket = try await BenchSocket.connect(to: server, from: source, group: group)
                do {
                    try await socket.authenticate(devices[index])
                } catch {
                    socket.close()
                    throw error
                }
                return Result<(BenchSocket, UInt64), BenchError>.success((socket, (MonotonicClock.nanoseconds - start) / 1_000))
            } catch {
                return .failure(error as? BenchError ?? .setup(String(describing: error)))
            }
        }
        var connected = Connected(connected: 0, failed: 0, latenciesMicros: [], firstError: nil)
        var sockets: [BenchSocket] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let (socket, micros)):
                sockets.append(socket)
                connected.latenciesMicros.append(micros)
            case .failure(let error):
                connected.failed += 1
                if connected.firstError == nil { connected.firstError = error.description }
            }
        }
        connected.connected = sockets.count
        state.withLock { $0.sockets = sockets }
        return connected
    }

    /// How many held sockets are still open.
    public func openCount() async -> Int {
        let sockets = state.withLock { $0.sockets }
        var open = 0
        for socket in sockets where (try? await socket.eventLoop.submit({ !socket.isClosed }).get()) == true { open += 1 }
        return open
    }

    /// Closes every socket and stops the worker's event loop.
    public func stop() async {
        let sockets = state.withLock { state in
            defer { state.sockets.removeAll() }
            return state.sockets
        }
        for socket in sockets { socket.close() }
        for socket in sockets { try? await socket.channel.closeFuture.get() }
        try? await group.shutdownGracefully()
    }
}

/// A value behind a lock, for the few bits of state shared across tasks.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
