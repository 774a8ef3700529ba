import Synchronization

/// Runs jobs one at a time, in the order they were submitted, in a task that exists only
/// while there is work.
///
/// A connection's requests must be handled in order, but an idle connection should hold
/// no task: a suspended task keeps every allocator slab its deepest call needed, tens of
/// KiB per connection (measured with heaptrack). So the task starts with the first job of
/// a burst and ends with its last.
///
/// The submitter learns when the queue is long (``Admission/pause``) and can stop reading
/// until ``whenDrained(_:)`` calls back, which bounds what a flooding client can queue.
final class SerialJobs: Sendable {
    typealias Job = @Sendable () async -> Void

    enum Admission: Equatable {
        case accepted
        /// Accepted, and the queue reached the high-water mark: stop feeding it for now.
        case pause
    }

    private struct State {
        var jobs: [Job] = []
        var head = 0
        var running = false
        var resume: (@Sendable () -> Void)?
        var waiting: Int { jobs.count - head }
    }

    private let state = Mutex(State())
    private let highWater: Int
    private let lowWater: Int

    init(highWater: Int = 64, lowWater: Int = 16) {
        self.highWater = highWater
        self.lowWater = lowWater
    }

    /// Queues `job` and starts the task if none runs.
    @discardableResult
    func submit(_ job: @escaping Job) -> Admission {
        let (start, waiting) = state.withLock { state -> (Bool, Int) in
            state.jobs.append(job)
            let start = !state.running
            state.running = true
            return (start, state.waiting)
        }
        if start { Task { await self.drain() } }
        return waiting >= highWater ? .pause : .accepted
    }

    /// Calls `resume` once the queue is back at the low-water mark (at once if it is).
    func whenDrained(_ resume: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            guard state.waiting > lowWater else { return true }
            state.resume = resume
            return false
        }
        if now { resume() }
    }

    private func drain() async {
        while let job = next() {
            await job()
        }
    }

    /// The next job, or nil (and the task ends) when the queue is empty.
    private func next() -> Job? {
        let (job, resume) = state.withLock { state -> (Job?, (@Sendable () -> Void)?) in
            var resume: (@Sendable () -> Void)?
            if state.resume != nil, state.waiting <= lowWater {
                resume = state.resume
                state.resume = nil
            }
            guard state.head < state.jobs.count else {
                state.jobs.removeAll()
                state.head = 0
                state.running = false
                return (nil, resume)
            }
            let job = state.jobs[state.head]
            state.head += 1
            if state.head >= 32, state.head * 2 >= state.jobs.count {
                state.jobs.removeFirst(state.head)
                state.head = 0
            }
            return (job, resume)
        }
        resume?()
        return job
    }
}
