// Same helper as Tests/TacitClientTests/Support (test targets cannot share files without a support target).
import Foundation
import Logging
import Synchronization
import TacitClient

/// Options for test clients: quick reconnects, short timeouts.
let fastOptions: TacitClient.Options = {
    var options = TacitClient.Options(deviceName: "test-device")
    options.backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(400))
    options.requestTimeout = .seconds(10)
    options.handshakeTimeout = .seconds(10)
    return options
}()

/// A client with its own fresh home.
func makeClient(_ label: String = "client", home: ClientHome? = nil,
                options: TacitClient.Options = fastOptions) throws -> TacitClient {
    var logger = Logger(label: "test.client.\(label)")
    logger.logLevel = .warning
    return try TacitClient(home: home ?? ClientHome(directory: TemporaryDirectory.make(label)),
                           options: options, logger: logger)
}

/// A registered and connected client.
func makeAccount(_ username: String, on server: InProcessServer,
                 options: TacitClient.Options = fastOptions) async throws -> TacitClient {
    let client = try makeClient(username, options: options)
    try await client.register(username: username, server: server.url)
    try await client.connect()
    return client
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with ``TimedOut`` after `seconds`.
func withTimeout<T: Sendable>(_ seconds: Double, _ what: String = "an operation",
                              _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimedOut(what: what)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimedOut(what: what) }
        return first
    }
}

/// Collects what a client receives, from one long-lived task. (Cancelling a task that
/// iterates an AsyncStream ends the stream, so tests never iterate `incoming` under a timeout.)
final class Inbox: Sendable {
    private let received = Mutex<[IncomingEnvelope]>([])
    private let consumer = Mutex<Task<Void, Never>?>(nil)

    /// Starts consuming `client.incoming`; acknowledges each envelope unless told not to.
    init(_ client: TacitClient, acknowledge: Bool = true) {
        let task = Task { [self] in
            for await envelope in client.incoming {
                self.received.withLock { $0.append(envelope) }
                if acknowledge { try? await client.acknowledge(envelope) }
            }
        }
        consumer.withLock { $0 = task }
    }

    var envelopes: [IncomingEnvelope] { received.withLock { $0 } }
    var count: Int { received.withLock { $0.count } }

    /// Waits until at least `count` envelopes arrived.
    @discardableResult
    func wait(for count: Int, timeout: Double = 20) async throws -> [IncomingEnvelope] {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while self.count < count {
            guard ContinuousClock.now < deadline else {
                throw TimedOut(what: "\(count) envelopes (got \(self.count))")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return envelopes
    }
}
