import Testing
@testable import TacitBench

@Suite struct MessageStampTests {
    @Test func roundTripsThroughABodyOfTheRequestedSize() throws {
        let stamp = MessageStamp(stream: 70_000, sequence: 1 << 40 + 3, sentAtNanoseconds: 123_456_789_012)
        let body = stamp.body(size: 64)
        #expect(body.count == 64)
        #expect(MessageStamp(body: body) == stamp)
    }

    @Test func aShortRequestedSizeStillHoldsTheStamp() {
        let body = MessageStamp(stream: 1, sequence: 2, sentAtNanoseconds: 3).body(size: 4)
        #expect(body.count == MessageStamp.byteCount)
        #expect(MessageStamp(body: body)?.sequence == 2)
    }

    @Test func aTooShortBodyHasNoStamp() {
        #expect(MessageStamp(body: [UInt8](repeating: 0, count: MessageStamp.byteCount - 1)) == nil)
    }
}

@Suite struct SequenceTrackerTests {
    @Test func inOrderArrivalsAreClean() {
        var tracker = SequenceTracker()
        for n in 0..<5 { #expect(tracker.record(UInt64(n)) == .inOrder) }
        #expect(tracker.received == 5)
        #expect(tracker.lost(sent: 5) == 0)
        #expect(tracker.duplicates == 0 && tracker.reordered == 0)
    }

    @Test func countsDuplicatesReorderingAndLosses() {
        var tracker = SequenceTracker()
        #expect(tracker.record(0) == .inOrder)
        #expect(tracker.record(2) == .inOrder)      // 1 is missing so far
        #expect(tracker.record(1) == .reordered)    // overtaken by 2
        #expect(tracker.record(2) == .duplicate)
        #expect(tracker.record(0) == .duplicate)
        #expect(tracker.record(5) == .inOrder)
        #expect(tracker.received == 4)
        #expect(tracker.duplicates == 2)
        #expect(tracker.reordered == 1)
        #expect(tracker.lost(sent: 6) == 2)         // 3 and 4
        #expect(tracker.lost(sent: 3) == 0)
    }

    @Test func nothingReceivedMeansEverythingLost() {
        #expect(SequenceTracker().lost(sent: 7) == 7)
    }
}

@Suite struct LatencyHistogramTests {
    @Test func percentilesComeOutInMilliseconds() {
        var histogram = LatencyHistogram()
        for micros in 1...1_000 { histogram.record(nanoseconds: UInt64(micros) * 1_000) }
        let summary = histogram.summary
        #expect(summary.count == 1_000)
        #expect(abs(summary.p50Ms - 0.5) < 0.01)
        #expect(abs(summary.p99Ms - 0.99) < 0.01)
        #expect(abs(summary.maxMs - 1.0) < 0.01)
    }

    @Test func anEmptyHistogramSummarisesToZeros() {
        #expect(LatencyHistogram().summary == LatencySummary())
    }

    @Test func addingMergesCounts() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        a.record(nanoseconds: 1_000_000)
        b.record(nanoseconds: 3_000_000)
        a.add(b)
        #expect(a.count == 2)
        #expect(abs(a.summary.maxMs - 3) < 0.01)
    }
}
