import Foundation
import TacitTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The package root, found from this file's path (Tests/ClusterTests/Support/…).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A file that fails the test, not skips it, when missing.
struct MissingTool: Error, CustomStringConvertible {
    var description: String
}

/// The `tacit` executable next to the test bundle (or in .build/debug): the cluster tests
/// run real server processes.
func tacitExecutable() throws -> URL {
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL {
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent("tacit"))
    }
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("tacit"))
    candidates.append(packageRoot.appendingPathComponent(".build/debug/tacit"))
    for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
        return candidate
    }
    throw MissingTool(description: "no tacit executable at \(candidates.map(\.path)); run `swift build --build-tests`")
}

/// Reads a pipe to its end on a thread of its own.
final class OutputCollector: Sendable {
    private let data = Mutex(Data())

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                data.withLock { $0.append(chunk) }
            }
        }
    }

    var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }
}

/// A child process with its output collected.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let output: OutputCollector

    init(executable: URL, arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TACIT_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        output = OutputCollector(pipe)
        try process.run()
    }

    var isRunning: Bool { !process.hasEnded }

    /// Sends `signal` and waits (SIGKILL after 20 s) for the process to end. Bounded even
    /// when the calling task is cancelled (its sleeps then return at once).
    func kill(_ signal: Int32) async {
        if isRunning { Glibc.kill(process.processIdentifier, signal) }
        let deadline = ContinuousClock.now + .seconds(20)
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        let killed = ContinuousClock.now + .seconds(10)
        while isRunning, ContinuousClock.now < killed { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Runs a command to its end; its status and output.
    static func run(_ executable: String, _ arguments: [String], timeout: Double = 120) async throws -> (Int32, String) {
        let child = try ChildProcess(executable: URL(fileURLWithPath: executable), arguments: arguments)
        let deadline = ContinuousClock.now + .seconds(timeout)
        while child.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if child.isRunning { await child.kill(SIGKILL) }
        try await Task.sleep(for: .milliseconds(50))
        return (child.process.endStatus, child.output.text)
    }
}

/// `tacit server` on PostgreSQL as a child process, on loopback.
final class ChildNode: @unchecked Sendable {
    let dataDirectory: URL
    let nodeID: String
    let databaseURL: String
    private(set) var port = 0
    private(set) var child: ChildProcess?

    init(nodeID: String, databaseURL: String, identityKey: URL) throws {
        self.nodeID = nodeID
        self.databaseURL = databaseURL
        dataDirectory = temporaryDirectory("node-\(nodeID)")
        // Every node of one deployment presents the same server key.
        try FileManager.default.copyItem(at: identityKey,
                                         to: dataDirectory.appendingPathComponent("server-identity.key"))
    }

    var url: String { "ws://127.0.0.1:\(port)" }

    /// Starts the node and waits for its banner; returns the banner. The database and node
    /// id go in flags, or with `viaEnvironment` in `TACIT_DATABASE_URL` and `TACIT_NODE_ID`.
    @discardableResult
    func start(viaEnvironment: Bool = false) async throws -> String {
        var arguments = ["server", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDirectory.path,
                         "--log-level", "warning"]
        var environment: [String: String] = [:]
        if viaEnvironment {
            environment = ["TACIT_DATABASE_URL": databaseURL, "TACIT_NODE_ID": nodeID]
        } else {
            arguments += ["--database-url", databaseURL, "--node-id", nodeID]
        }
        let child = try ChildProcess(executable: try tacitExecutable(), arguments: arguments, environment: environment)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let text = child.output.text
            if let range = text.range(of: "listening on ws://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), text[range.upperBound...].dropFirst(digits.count).first?.isWhitespace == true {
                    self.port = port
                    self.child = child
                    return text
                }
            }
            if !child.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        await child.kill(SIGKILL)
        throw MissingTool(description: "node \(nodeID) did not start: \(child.output.text)")
    }

    /// SIGKILL: no goodbye to clients or the database.
    func crash() async {
        await child?.kill(SIGKILL)
        child = nil
    }

    func stop() async {
        await child?.kill(SIGTERM)
        child = nil
    }
}

func temporaryDirectory(_ label: String) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("tacit-cluster-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
