/// `tacit bench messages`: pairs of devices exchanging envelopes in both directions.
public struct MessagesOptions: Sendable, Equatable {
    /// How the load is offered.
    public enum Load: Sendable, Equatable {
        /// Closed loop: each sender keeps this many messages on their way (sent, not yet
        /// received by its partner) and sends the next one when one arrives.
        case window(Int)
        /// Open loop: this many messages per second in total, spread evenly over the senders;
        /// latency counts from the planned send time, so a stalled server cannot hide its delay.
        case rate(Double)
    }

    /// The nodes to connect to; device `i` uses `servers[i % servers.count]`, so with two
    /// nodes every message crosses from one node to the other.
    public var servers: [BenchServerAddress]
    public var pairs: Int
    public var load: Load
    /// Body size in bytes (at least ``MessageStamp/byteCount``).
    public var bodySize: Int
    /// Measured seconds, after the warm-up.
    public var duration: Double
    public var warmup: Double
    /// How long to wait after the run for messages still on their way.
    public var drainTimeout: Double
    /// Local addresses to connect from, in turn.
    public var sources: [String?]

    public init(servers: [BenchServerAddress], pairs: Int, load: Load, bodySize: Int = 64, duration: Double = 10,
                warmup: Double = 1, drainTimeout: Double = 5, sources: [String?] = [nil]) {
        self.servers = servers
        self.pairs = pairs
        self.load = load
        self.bodySize = bodySize
        self.duration = duration
        self.warmup = warmup
        self.drainTimeout = drainTimeout
        self.sources = sources.isEmpty ? [nil] : sources
    }

    /// The limits every run stays inside.
    public func validate() throws(BenchError) {
        guard (1...16).contains(servers.count) else { throw .setup("give 1...16 servers") }
        guard (1...5_000).contains(pairs) else { throw .setup("--pairs must be 1...5000") }
        guard (MessageStamp.byteCount...(256 * 1024)).contains(bodySize) else {
            throw .setup("--size must be \(MessageStamp.byteCount)...262144 bytes")
        }
        guard duration > 0, duration <= 600 else { throw .setup("--duration must be more than 0 and at most 600 seconds") }
        guard warmup >= 0, warmup <= 60 else { throw .setup("--warmup must be 0...60 seconds") }
        switch load {
        case .window(let window): guard (1...1_000).contains(window) else { throw .setup("--window must be 1...1000") }
        case .rate(let rate): guard rate > 0, rate <= 1_000_000 else { throw .setup("--rate must be more than 0 and at most 1000000") }
        }
    }
}
