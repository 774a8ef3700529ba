/// `tacit bench group`: one sender, `members` online recipients, one message at a time.
public struct GroupOptions: Sendable, Equatable {
    /// The nodes to connect to: the sender uses the first, member `i` `servers[i % servers.count]`.
    public var servers: [BenchServerAddress]
    public var members: Int
    /// Messages sent, one after the other (each waits until every member has the previous one).
    public var rounds: Int
    public var bodySize: Int
    /// Rounds before these are not measured.
    public var warmupRounds: Int
    /// How long one round may take before the run fails.
    public var roundTimeout: Double
    public var sources: [String?]

    public init(servers: [BenchServerAddress], members: Int, rounds: Int = 50, bodySize: Int = 64, warmupRounds: Int = 3,
                roundTimeout: Double = 10, sources: [String?] = [nil]) {
        self.servers = servers
        self.members = members
        self.rounds = rounds
        self.bodySize = bodySize
        self.warmupRounds = warmupRounds
        self.roundTimeout = roundTimeout
        self.sources = sources.isEmpty ? [nil] : sources
    }

    public func validate() throws(BenchError) {
        guard (1...16).contains(servers.count) else { throw .setup("give 1...16 servers") }
        guard (1...5_000).contains(members) else { throw .setup("--members must be 1...5000 (the server's recipient limit)") }
        guard (1...10_000).contains(rounds) else { throw .setup("--rounds must be 1...10000") }
        guard (0...1_000).contains(warmupRounds) else { throw .setup("--warmup-rounds must be 0...1000") }
        guard (MessageStamp.byteCount...(256 * 1024)).contains(bodySize) else {
            throw .setup("--size must be \(MessageStamp.byteCount)...262144 bytes")
        }
    }
}

/// What `tacit bench group` measured.
public struct GroupReport: Sendable, Codable, Equatable {
    public var members: Int
    public var rounds: Int
    public var bodySize: Int
    /// Deliveries counted (members × rounds when nothing was lost).
    public var delivered: UInt64
    /// Send until the first member has it.
    public var first: LatencySummary
    /// Send until the last member has it: the fan-out time.
    public var last: LatencySummary
    public var lost: UInt64
    public var duplicated: UInt64
    public var errors: [String: UInt64]
}
