import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization
import TacitStore

/// ``DeliveryWakeups`` for several nodes on one PostgreSQL database: `NOTIFY` to publish,
/// `LISTEN` to receive, on one dedicated connection per node (outside the store's pool,
/// so a busy pool never delays a wakeup, and a wakeup never takes a pooled connection).
///
/// Publishing and listening share that connection on purpose: PostgreSQL delivers the
/// notifications of one channel to every listener in the same order (commit order), and
/// a node hears its own too. That common order decides which of two connections of one
/// device is the newer (see ``ConnectionClaim``) without comparing clocks.
///
/// When the connection drops, the node reconnects with backoff and then asks every local
/// connection to re-read its queue (``ClusterEvent/resynchronize``): notifications sent
/// meanwhile are gone, the queues are not.
final class PostgresWakeups: DeliveryWakeups {
    static let channel = "tacit_cluster"

    let catchUpInterval: Duration?
    private let endpoint: PostgresEndpoint
    private let node: ClusterNode
    private let connectTimeout: Duration
    private let heartbeat: Duration
    private let logger: Logger
    private let outbox = ClusterOutbox()
    private let linked = Mutex(false)

    init(endpoint: PostgresEndpoint, node: ClusterNode, connectTimeout: Duration, catchUpInterval: Duration,
         heartbeat: Duration = .seconds(5), logger: Logger) {
        self.endpoint = endpoint
        self.node = node
        self.connectTimeout = connectTimeout
        self.catchUpInterval = catchUpInterval
        self.heartbeat = heartbeat
        self.logger = logger
    }

    var isLinked: Bool { linked.withLock { $0 } }

    func publish(_ message: ClusterMessage) {
        outbox.add(message)
    }

    func run(_ handle: @escaping @Sendable (ClusterEvent) -> Void) async {
        var delay = Duration.milliseconds(100)
        var failures = 0
        while !Task.isCancelled {
            do {
                try await serveOneConnection(handle, onLinked: {
                    if failures > 0 { self.logger.notice("cluster link restored", metadata: ["node": "\(self.node)"]) }
                    failures = 0
                    delay = .milliseconds(100)
                })
            } catch {
                if Task.isCancelled { break }
                // One line per outage, not one per attempt.
                if failures == 0 {
                    logger.warning("cluster link lost; reconnecting",
                                   metadata: ["node": "\(node)", "error": "\(String(describing: error))"])
                }
                failures += 1
            }
            linked.withLock { $0 = false }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(2))
        }
        linked.withLock { $0 = false }
    }

    /// Connects, listens and publishes until the connection fails (throws) or the task is
    /// cancelled (returns).
    private func serveOneConnection(_ handle: @escaping @Sendable (ClusterEvent) -> Void,
                                    onLinked: () -> Void) async throws {
        let connection = try await PostgresConnection.connect(configuration: try connectionConfiguration(),
                                                              id: 1, logger: logger)
        do {
            try await serve(connection, handle, onLinked: onLinked)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    private func serve(_ connection: PostgresConnection, _ handle: @escaping @Sendable (ClusterEvent) -> Void,
                       onLinked: () -> Void) async throws {
        let notifications = try await connection.listen(Self.channel)
        linked.withLock { $0 = true }
        onLinked()
        handle(.resynchronize)

        let node = self.node
        let logger = self.logger
        let outbox = self.outbox
        let heartbeat = self.heartbeat
        struct LinkClosed: Error {}
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await notification in notifications {
                    guard let received = ClusterMessageCodec.decode(notification.payload) else {
                        logger.debug("ignoring a cluster notification this build does not understand")
                        continue
                    }
                    Self.deliver(received, own: received.sender == node.sender, to: handle)
                }
                throw LinkClosed()
            }
            group.addTask {
                while let batch = await outbox.next() {
                    do {
                        for message in batch.messages {
                            for payload in ClusterMessageCodec.encode(message, sender: node.sender) {
                                guard !connection.isClosed else { throw LinkClosed() }
                                try await abandonable {
                                    _ = try await connection.query("SELECT pg_notify(\(Self.channel), \(payload))",
                                                                   logger: logger)
                                }
                            }
                        }
                    } catch {
                        // Sent again on the next connection (a wakeup twice is harmless).
                        outbox.putBack(batch)
                        throw error
                    }
                }
            }
            group.addTask {
                // A connection that silently died would otherwise only be noticed on the next publish.
                while !Task.isCancelled {
                    try await Task.sleep(for: heartbeat)
                    guard !connection.isClosed else { throw LinkClosed() }
                    try await abandonable { _ = try await connection.query("SELECT 1", logger: logger) }
                }
            }
            group.addTask {
                // The server ending the session (a failover, pg_terminate_backend) is noticed
                // here at once, not only by the next query.
                try? await abandonable { try await connection.closeFuture.get() }
                throw LinkClosed()
            }
            defer { group.cancelAll() }
            _ = try await group.next()
        }
    }

    private static func deliver(_ received: ReceivedClusterMessage, own: Bool,
                                to handle: @Sendable (ClusterEvent) -> Void) {
        switch received.message {
        case .wake(let devices):
            if !own { handle(.wake(devices)) }
        case .revoke(let devices):
            if !own { handle(.revoke(devices)) }
        case .claim(let claims):
            for claim in claims { handle(.claim(claim, own: own)) }
        }
    }

    private func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch endpoint.tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: endpoint.host, port: endpoint.port,
                                                             username: endpoint.username, password: endpoint.password,
                                                             database: endpoint.database, tls: tls)
        let (seconds, attoseconds) = connectTimeout.components
        configuration.options.connectTimeout = .nanoseconds(min(max(seconds, 0), 86_400) * 1_000_000_000
                                                                + max(attoseconds, 0) / 1_000_000_000)
        configuration.options.additionalStartupParameters = [("application_name", "tacit-cluster")]
        return configuration
    }
}
