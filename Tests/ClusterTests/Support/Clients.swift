import Foundation
import Logging
import Synchronization
import TacitClient

/// Client options for tests: quick reconnects, short timeouts.
let testClientOptions: TacitClient.Options = {
    var options = TacitClient.Options(deviceName: "cluster-test")
    options.backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(300))
    options.requestTimeout = .seconds(10)
    options.handshakeTimeout = .seconds(10)
    return options
}()

/// A client with a fresh home, logging into `log` when given.
func makeClient(_ label: String, log: LogCapture? = nil) throws -> TacitClient {
    var logger = log.map { capture in Logger(label: "test.client.\(label)") { _ in capture.handler() } }
        ?? Logger(label: "test.client.\(label)")
    logger.logLevel = log == nil ? .warning : .debug
    return try TacitClient(home: ClientHome(directory: temporaryDirectory("client-\(label)")),
                           options: testClientOptions, logger: logger)
}

/// A registered, connected client and its device id.
func makeAccount(_ username: String, server: String, log: LogCapture? = nil) async throws -> (TacitClient, DeviceID) {
    let client = try makeClient(username, log: log)
    let account = try await client.register(username: username, server: try ServerURL(server))
    try await client.connect()
    return (client, account.deviceID)
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

func waitUntil(_ what: String, timeout: Double, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Collects what a client's app receives, acknowledging each envelope.
final class Inbox: Sendable {
    private let received = Mutex<[(IncomingEnvelope, ContinuousClock.Instant)]>([])
    private let consumer = Mutex<Task<Void, Never>?>(nil)

    init(_ client: TacitClient) {
        let task = Task { [self] in
            for await envelope in client.incoming {
                received.withLock { $0.append((envelope, .now)) }
                try? await client.acknowledge(envelope)
            }
        }
        consumer.withLock { $0 = task }
    }

    var texts: [String] { received.withLock { $0.map { String(decoding: $0.0.body, as: UTF8.self) } } }
    var count: Int { received.withLock { $0.count } }

    /// When the envelope with `text` arrived, if it did.
    func arrival(of text: String) -> ContinuousClock.Instant? {
        received.withLock { $0.first { String(decoding: $0.0.body, as: UTF8.self) == text }?.1 }
    }

    func wait(for count: Int, timeout: Double) async throws {
        try await waitUntil("\(count) envelopes (got \(self.count))", timeout: timeout) { self.count >= count }
    }
}

/// Log lines a client wrote, to see what it was told (a retryable refusal, for one).
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    func handler() -> some LogHandler { Handler(capture: self) }

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            capture.append("\(event.message) \(fields)")
        }
    }
}

/// What a sender saw acknowledged, in order.
final class Acknowledged: Sendable {
    private let indices = Mutex<[Int]>([])
    func append(_ index: Int) { indices.withLock { $0.append(index) } }
    var all: [Int] { indices.withLock { $0 } }
    var count: Int { indices.withLock { $0.count } }
}

/// Set once to stop senders.
final class StopFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
