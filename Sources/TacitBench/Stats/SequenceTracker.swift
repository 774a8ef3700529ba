/// Checks one stream of numbered messages (sequence numbers from 0) as they arrive.
///
/// - a number seen before is a **duplicate**;
/// - a number that arrives after a higher one did is **reordered** (it was overtaken);
/// - a number sent but never seen is **lost** (see ``lost(sent:)``).
public struct SequenceTracker: Sendable, Equatable {
    /// Every number below this one has arrived.
    public private(set) var contiguous: UInt64 = 0
    /// Numbers at or above ``contiguous`` that arrived early (kept sorted only by Set).
    private var ahead: Set<UInt64> = []
    public private(set) var highest: UInt64?
    public private(set) var received: UInt64 = 0
    public private(set) var duplicates: UInt64 = 0
    public private(set) var reordered: UInt64 = 0

    public init() {}

    public enum Arrival: Sendable, Equatable { case inOrder, reordered, duplicate }

    /// Records `sequence` and says how it arrived.
    @discardableResult
    public mutating func record(_ sequence: UInt64) -> Arrival {
        if sequence < contiguous || ahead.contains(sequence) {
            duplicates += 1
            return .duplicate
        }
        received += 1
        let overtaken = highest.map { sequence < $0 } ?? false
        highest = Swift.max(highest ?? sequence, sequence)
        if sequence == contiguous {
            contiguous += 1
            while ahead.remove(contiguous) != nil { contiguous += 1 }
        } else {
            ahead.insert(sequence)
        }
        if overtaken {
            reordered += 1
            return .reordered
        }
        return .inOrder
    }

    /// How many of the first `sent` numbers never arrived.
    public func lost(sent: UInt64) -> UInt64 {
        let distinctBelowSent = Swift.min(contiguous, sent) + UInt64(ahead.filter { $0 < sent }.count)
        return sent - Swift.min(sent, distinctBelowSent)
    }
}
