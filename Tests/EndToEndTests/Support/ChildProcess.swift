import Foundation
import TacitTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends a POSIX signal (outside ``ChildProcess``, whose `kill` method would shadow it).
@discardableResult
func sendSignal(_ signal: Int32, to pid: Int32) -> Int32 {
    kill(pid, signal)
}

/// The `tacit` executable from the build products directory, next to the test bundle.
/// Missing means the build is incomplete: the test must fail, not skip.
enum TacitBinary {
    struct Missing: Error, CustomStringConvertible {
        var looked: [String]
        var description: String {
            "the tacit executable was not found (looked at \(looked.joined(separator: ", "))); "
                + "build it with `swift build --build-tests` or `swift build --product tacit`"
        }
    }

    static func url() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("tacit"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("tacit"))
        // Tests/EndToEndTests/Support/ChildProcess.swift -> package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/tacit"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw Missing(looked: candidates.map(\.path))
    }
}

/// Collects everything a pipe delivers, on its own thread.
final class PipeCollector: Sendable {
    private let data = Mutex(Data())
    private let finished = Mutex(false)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                data.withLock { $0.append(chunk) }
            }
            finished.withLock { $0 = true }
        }
    }

    var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }
    var isFinished: Bool { finished.withLock { $0 } }
}

/// A running child process with collected output.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let stdout: PipeCollector
    let stderr: PipeCollector

    init(arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = try TacitBinary.url()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TACIT_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        stdout = PipeCollector(out)
        stderr = PipeCollector(err)
        try process.run()
    }

    var isRunning: Bool { !process.hasEnded }

    /// Sends `signal` (SIGKILL, SIGTERM, ...) and waits for the process to end.
    func kill(_ signal: Int32) async {
        if isRunning { _ = sendSignal(signal, to: process.processIdentifier) }
        await waitForExit(timeout: 20)
    }

    /// Bounded even when the calling task is cancelled (its sleeps then return at once).
    func waitForExit(timeout: Double) async {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if isRunning { _ = sendSignal(SIGKILL, to: process.processIdentifier) }
        let killed = ContinuousClock.now + .seconds(10)
        while isRunning, ContinuousClock.now < killed { try? await Task.sleep(for: .milliseconds(10)) }
        // Let the collectors see end of file.
        let drained = ContinuousClock.now + .seconds(2)
        while !(stdout.isFinished && stderr.isFinished), ContinuousClock.now < drained {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Runs `tacit arguments` to completion; fails if it takes longer than `timeout`.
    static func run(_ arguments: [String], environment: [String: String] = [:],
                    timeout: Double = 60) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(arguments: arguments, environment: environment)
        await child.waitForExit(timeout: timeout)
        return (child.process.endStatus, child.stdout.text, child.stderr.text)
    }
}

/// `tacit server` as a child process, on loopback, on a data directory that survives it.
final class ChildServer: @unchecked Sendable {
    let dataDirectory: URL
    private(set) var port: Int
    private(set) var child: ChildProcess?
    private(set) var starts = 0
    /// The PostgreSQL database of this server when the run tests that backend; kept across restarts.
    private var databaseURL: String?

    init(dataDirectory: URL = TemporaryDirectory.make("child-server"), port: Int = 0) {
        self.dataDirectory = dataDirectory
        self.port = port
    }

    var url: String { "ws://127.0.0.1:\(port)" }

    /// Starts the server and waits for its "listening" line; retries while the port is
    /// still held by a killed predecessor.
    func start(extraArguments: [String] = []) async throws {
        if TestBackend.isPostgres, databaseURL == nil { databaseURL = try await TestBackend.freshDatabaseURL() }
        let extraArguments = extraArguments + (databaseURL.map { ["--database-url", $0] } ?? [])
        var lastOutput = ""
        for _ in 0..<20 {
            let child = try ChildProcess(arguments: ["server", "--host", "127.0.0.1", "--port", String(port),
                                                     "--data-dir", dataDirectory.path, "--log-level", "warning"]
                                                    + extraArguments)
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if let port = Self.listeningPort(in: child.stdout.text) {
                    self.port = port
                    self.child = child
                    starts += 1
                    return
                }
                if !child.isRunning { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            await child.kill(SIGKILL)
            lastOutput = child.stdout.text + child.stderr.text
            try await Task.sleep(for: .milliseconds(250))
        }
        struct StartFailed: Error, CustomStringConvertible { var description: String }
        throw StartFailed(description: "tacit server did not start: \(lastOutput)")
    }

    /// SIGKILL: no graceful shutdown, no flush; what survives is what was durable.
    func crash() async {
        await child?.kill(SIGKILL)
        child = nil
    }

    func stop() async {
        await child?.kill(SIGTERM)
        child = nil
    }

    static func listeningPort(in output: String) -> Int? {
        guard let range = output.range(of: "listening on ws://127.0.0.1:") else { return nil }
        let digits = output[range.upperBound...].prefix { $0.isNumber }
        guard output[range.upperBound...].dropFirst(digits.count).first?.isWhitespace == true else { return nil }
        return Int(digits)
    }
}
