/// What `tacit bench messages` measured.
public struct MessagesReport: Sendable, Codable, Equatable {
    public var pairs: Int
    /// `window` or `rate`.
    public var mode: String
    public var window: Int?
    public var offeredRate: Double?
    public var bodySize: Int
    public var durationSeconds: Double
    /// Messages sent during the whole run (warm-up and measurement).
    public var sent: UInt64
    /// Distinct messages received during the whole run.
    public var delivered: UInt64
    /// Messages received during the measured window, per second.
    public var deliveredPerSecond: Double
    /// Send-to-receive latency of the messages sent during the measured window (wherever they
    /// arrived: during the window or the drain after it).
    public var latency: LatencySummary
    public var lost: UInt64
    public var duplicated: UInt64
    public var reordered: UInt64
    /// Requests the server refused, by error code (rate limiting shows up here).
    public var errors: [String: UInt64]

    /// Whether every message arrived exactly once and in order.
    public var isClean: Bool { lost == 0 && duplicated == 0 && reordered == 0 && errors.isEmpty && sent == delivered }
}
