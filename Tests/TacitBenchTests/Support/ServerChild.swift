import Foundation
import Synchronization
@testable import TacitBench

/// A real `tacit server` in a child process on a free loopback port, as the bench meets a
/// server in production: only through its socket, its `/metrics` and its `/proc` entry.
/// The `tacit` executable sits in the build products directory beside the test bundle
/// (`swift build --build-tests` builds it).
final class ServerChild: Sendable {
    let process: Process
    let port: Int
    let directory: String?

    var pid: Int32 { process.processIdentifier }
    var address: BenchServerAddress { BenchServerAddress(host: "127.0.0.1", port: port) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a server with the rate limit lifted. Without `databaseURL` it keeps a fresh
    /// SQLite database in a temporary directory; with one, it is a node of that PostgreSQL
    /// database (give every node the same `dataDirectory`, so they share the server key).
    static func start(databaseURL: String? = nil, dataDirectory: String? = nil,
                      keepalive: Double = 30) async throws -> ServerChild {
        let owned = dataDirectory == nil
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-bench-test-\(UUID().uuidString)").path
        var arguments = ["server", "--port", "0", "--data-dir", directory, "--rate-limit", "1000000",
                         "--keepalive", "\(keepalive)", "--log-level", "warning"]
        if let databaseURL { arguments += ["--database-url", databaseURL, "--node-id", "n\(UInt32.random(in: 1...999_999))"] }
        let process = Process()
        process.executableURL = try TacitExecutable.url()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TACIT_") }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let banner = BannerWatch(output.fileHandleForReading)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let port = banner.port {
                return ServerChild(process: process, port: port, directory: owned ? directory : nil)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { process.terminate() }
        throw Failure(description: "tacit server did not start (output: \(banner.text))")
    }

    private init(process: Process, port: Int, directory: String?) {
        self.process = process
        self.port = port
        self.directory = directory
    }

    /// SIGTERM, a bounded wait for the graceful shutdown, then SIGKILL.
    func stop() async {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(15)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// Reads the server's standard output on a thread of its own until it prints its banner
/// line, `tacit server listening on ws://HOST:PORT`, then keeps draining the pipe.
private final class BannerWatch: Sendable {
    private let state = Mutex<(text: String, port: Int?)>(("", nil))

    init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self.state.withLock { state in
                    guard state.port == nil else { return }
                    state.text += String(decoding: chunk, as: UTF8.self)
                    state.port = Self.port(in: state.text)
                }
            }
        }.start()
    }

    var port: Int? { state.withLock { $0.port } }
    var text: String { state.withLock { $0.text } }

    static func port(in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("tacit server listening on ") {
            guard let colon = line.lastIndex(of: ":"), let port = Int(line[line.index(after: colon)...]) else { continue }
            return port
        }
        return nil
    }
}

/// Where the `tacit` executable is: next to the test bundle in the build products directory.
enum TacitExecutable {
    static func url() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("tacit"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("tacit"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw ServerChild.Failure(description: "the tacit executable was not found (looked at "
                                      + candidates.map(\.path).joined(separator: ", ")
                                      + "); build it with `swift build --build-tests`")
    }
}
