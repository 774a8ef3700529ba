import Foundation

/// The source of the current time for lifetime checks (RFC 9420, Section 7.3), injectable so
/// tests and replays can fix the time.
public protocol MLSClock: Sendable {
    /// Seconds since the Unix epoch.
    var now: UInt64 { get }
}

/// The system's wall clock.
public struct SystemMLSClock: MLSClock {
    /// Creates the clock.
    public init() {}

    public var now: UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}

/// A clock that always reads the same time.
public struct FixedMLSClock: MLSClock {
    /// The time this clock reads, in seconds since the Unix epoch.
    public var now: UInt64

    /// A clock that reads `now`.
    public init(now: UInt64) { self.now = now }
}
