import NIOCore

/// `CLOCK_MONOTONIC` in nanoseconds: the same clock in every process on the machine, so a
/// worker's timestamp can be compared with another's.
enum MonotonicClock {
    static var nanoseconds: UInt64 { NIODeadline.now().uptimeNanoseconds }
}
