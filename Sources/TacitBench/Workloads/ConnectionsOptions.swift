/// `tacit bench connections`: many authenticated idle connections, held open.
public struct ConnectionsOptions: Sendable, Equatable {
    /// The nodes to connect to; connection `i` uses `servers[i % servers.count]`.
    public var servers: [BenchServerAddress]
    public var count: Int
    /// Connections per worker process (each process may open at most 20,000 files).
    public var perWorker: Int
    /// Seconds the connections stay open once all are up (cover a keep-alive ping or two).
    public var hold: Double
    /// Local addresses the workers connect from, one per worker in turn.
    public var sources: [String]
    /// Handshakes in flight per worker.
    public var concurrency: Int
    /// The servers' pids for memory readings; found from the listening ports when empty.
    public var serverPIDs: [Int32]

    public init(servers: [BenchServerAddress], count: Int, perWorker: Int = 5_000, hold: Double = 40,
                sources: [String] = ConnectionsOptions.loopbackSources(8), concurrency: Int = 64,
                serverPIDs: [Int32] = []) {
        self.servers = servers
        self.count = count
        self.perWorker = perWorker
        self.hold = hold
        self.sources = sources.isEmpty ? ["127.0.0.1"] : sources
        self.concurrency = concurrency
        self.serverPIDs = serverPIDs
    }

    /// `127.0.0.2`, `127.0.0.3`, ...: Linux routes all of 127/8 to loopback.
    public static func loopbackSources(_ count: Int) -> [String] {
        (0..<max(1, count)).map { "127.0.0.\($0 + 2)" }
    }

    /// How many workers and how many connections each.
    public var shares: [Int] {
        let workers = max(1, (count + perWorker - 1) / perWorker)
        return (0..<workers).map { index in count / workers + (index < count % workers ? 1 : 0) }
    }

    public func validate() throws(BenchError) {
        guard (1...16).contains(servers.count) else { throw .setup("give 1...16 servers") }
        guard (1...200_000).contains(count) else { throw .setup("--count must be 1...200000") }
        guard (1...19_000).contains(perWorker) else {
            throw .setup("--per-worker must be 1...19000 (a process may open at most 20,000 files)")
        }
        guard hold >= 0, hold <= 3_600 else { throw .setup("--hold must be 0...3600 seconds") }
        guard (1...1_000).contains(concurrency) else { throw .setup("--concurrency must be 1...1000") }
    }
}

/// What `tacit bench connections` measured.
public struct ConnectionsReport: Sendable, Codable, Equatable {
    public var requested: Int
    public var connected: Int
    public var failed: Int
    /// Connections the server closed while they were held (a missed keep-alive, say).
    public var droppedWhileHeld: Int
    public var workers: Int
    public var connectSeconds: Double
    public var connectionsPerSecond: Double
    /// TCP connect to AuthResult (WebSocket upgrade, Hello, Challenge, Authenticate).
    public var login: LatencySummary
    public var holdSeconds: Double
    /// The server processes found (or given), one per server address when all were found.
    public var serverPIDs: [Int32]
    /// Resident memory of those processes together (nil when none was found): at the start
    /// (before the accounts were registered), once they were (before connecting), ...
    public var serverRSSStartBytes: UInt64?
    public var serverRSSBeforeBytes: UInt64?
    public var serverRSSConnectedBytes: UInt64?
    public var serverRSSHeldBytes: UInt64?
    /// (RSS after the hold − RSS before connecting) / connections.
    public var serverBytesPerConnection: Double?
    /// `tacit_connections_open` from every server's /metrics after the hold, summed.
    public var serverOpenConnections: Int?
}
