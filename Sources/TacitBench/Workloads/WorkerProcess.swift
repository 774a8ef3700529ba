import Foundation

/// A worker of `tacit bench connections`, either a child process (the bench re-executes
/// itself) or, for small runs and tests, an in-process ``ConnectionsWorker``.
protocol ConnectionsWorkerHandle: Sendable {
    /// Waits until the worker registered its accounts; returns how many.
    func registered() async throws -> Int
    func connect() async throws -> ConnectionsWorker.Connected
    func openCount() async throws -> Int
    func stop() async
}

/// How to start a worker process: the executable and the arguments for a spec.
public struct WorkerLauncher: Sendable {
    public var executable: String
    public var arguments: @Sendable (ConnectionsWorker.Spec) -> [String]

    public init(executable: String, arguments: @escaping @Sendable (ConnectionsWorker.Spec) -> [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// This very executable, as `/proc/self/exe` names it.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

final class InProcessWorker: ConnectionsWorkerHandle {
    private let worker: ConnectionsWorker

    init(spec: ConnectionsWorker.Spec) throws {
        worker = try ConnectionsWorker(spec: spec)
    }

    func registered() async throws -> Int { try await worker.register() }
    func connect() async throws -> ConnectionsWorker.Connected { try await worker.connect() }
    func openCount() async throws -> Int { await worker.openCount() }
    func stop() async { await worker.stop() }
}

/// Commands go out one at a time (the coordinator awaits each answer), so the pipes need no lock.
final class WorkerProcess: ConnectionsWorkerHandle, @unchecked Sendable {
    private let process: Process
    private let input: FileHandle
    private let replies: Locked<AsyncStream<String>.AsyncIterator>

    init(spec: ConnectionsWorker.Spec, launcher: WorkerLauncher) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.executable)
        process.arguments = launcher.arguments(spec)
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        try process.run()
        self.process = process
        self.input = stdin.fileHandleForWriting
        self.replies = Locked(LineReader.lines(of: stdout.fileHandleForReading).makeAsyncIterator())
    }

    func registered() async throws -> Int {
        try await expect(.registered).count ?? 0
    }

    func connect() async throws -> ConnectionsWorker.Connected {
        try send(.connect)
        guard let connected = try await expect(.connected).connected else {
            throw BenchError.setup("a worker reported no connection figures")
        }
        return connected
    }

    func openCount() async throws -> Int {
        try send(.count)
        return try await expect(.open).count ?? 0
    }

    func stop() async {
        try? send(.stop)
        _ = try? await expect(.stopped)
        try? input.close()
        // Bounded: a worker that does not exit within 10 s is terminated.
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { process.terminate() }
    }

    private func send(_ command: WorkerCommand) throws {
        try input.write(contentsOf: Data((command.rawValue + "\n").utf8))
    }

    private func expect(_ event: WorkerMessage.Event) async throws -> WorkerMessage {
        // One command is outstanding at a time, so the iterator is never shared concurrently.
        var iterator = replies.withLock { $0 }
        defer { replies.withLock { $0 = iterator } }
        while let line = await iterator.next() {
            guard let message = try? WorkerMessage(line: line) else { continue }
            if message.event == .failed { throw BenchError.setup("a worker failed: \(message.error ?? "unknown")") }
            if message.event == event { return message }
        }
        throw BenchError.setup("a worker exited early (status \(process.isRunning ? 0 : process.terminationStatus))")
    }
}
