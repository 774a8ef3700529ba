import ArgumentParser
import Foundation
import Logging
import TacitClient

/// Options every client command takes.
struct ClientOptions: ParsableArguments {
    @Option(help: "The device's state directory (default $TACIT_HOME, else ~/.tacit).")
    var home: String?

    @Flag(name: .shortAndLong, help: "Log connection details to stderr.")
    var verbose = false

    @Option(help: "Seconds to keep trying to reach the server before giving up.")
    var connectTimeout: Double = 30

    var clientHome: ClientHome {
        if let home { return ClientHome(directory: URL(fileURLWithPath: (home as NSString).expandingTildeInPath)) }
        return .default()
    }

    /// Opens the device state, with logging to stderr at the chosen level.
    func openClient(deviceName: String? = nil) throws -> TacitClient {
        var options = TacitClient.Options()
        if let deviceName { options.deviceName = deviceName }
        return try TacitClient(home: clientHome, options: options, logger: makeLogger("tacit"))
    }

    /// A logger to stderr: debug with `--verbose`, else warnings only.
    func makeLogger(_ label: String) -> Logger {
        var logger = Logger(label: label) { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }
}

/// Connects `client`, giving up after `options.connectTimeout` seconds with the reason
/// the last attempt failed.
func connect(_ client: TacitClient, _ options: ClientOptions) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await client.connect() }
        group.addTask {
            try await Task.sleep(for: .seconds(options.connectTimeout))
            let reason = await client.lastConnectionError.map { " (\($0))" } ?? ""
            let server = await client.server?.description ?? "the server"
            throw CLIError("cannot reach \(server) within \(Int(options.connectTimeout)) s\(reason); is it running?")
        }
        defer { group.cancelAll() }
        try await group.next()
    }
}

/// A `--server` option, with `TACIT_SERVER` as fallback.
struct ServerOption: ParsableArguments {
    @Option(help: "The server, e.g. ws://127.0.0.1:8080 (default $TACIT_SERVER).")
    var server: String?

    func url() throws -> ServerURL? {
        guard let text = server ?? ProcessInfo.processInfo.environment["TACIT_SERVER"] else { return nil }
        return try ServerURL(text)
    }
}

/// An error shown to a person as one clear message, with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}

/// Opens the client, runs `body` with it and closes it again, also on errors.
/// (A ``ClientError`` describes itself for people, so it is shown as is.)
func withClient<T>(_ options: ClientOptions, deviceName: String? = nil,
                   _ body: (TacitClient) async throws -> T) async throws -> T {
    let client = try options.openClient(deviceName: deviceName)
    do {
        let result = try await body(client)
        await client.close()
        return result
    } catch {
        await client.close()
        throw error
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes a line to standard output and flushes, so pipes see it at once.
func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

extension Collection<UInt8> {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// The notice every raw-transport developer command prints.
let rawTransportNotice = "not end-to-end encrypted: raw transport, a developer tool"
