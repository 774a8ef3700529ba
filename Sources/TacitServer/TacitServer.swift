import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Prometheus
import ServiceLifecycle
import TacitStore
import TacitWire

/// The Tacit delivery and directory server, as a swift-service-lifecycle `Service`.
///
/// ```swift
/// let store = try SQLiteStore(path: configuration.databasePath)
/// let server = try TacitServer(configuration: configuration, store: store)
/// let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint],
///                          logger: logger)
/// try await group.run()
/// ```
///
/// Routes: `GET /health`, `GET /metrics` and the device WebSocket at
/// ``WireProtocol/connectPath``. On graceful shutdown the server stops accepting, closes
/// its sockets, lets upkeep finish and then closes the store; it owns the store from the
/// moment it runs.
public struct TacitServer: Service, CustomStringConvertible {
    public let configuration: ServerConfiguration
    /// The identity clients pin: loaded from (or created in) the data directory.
    public let identity: ServerIdentity
    /// What `/metrics` serves. The server registers its own metrics here; bootstrap
    /// `MetricsSystem` with a `PrometheusMetricsFactory` over the same registry to add
    /// everyone else's (the store's latency timers, for one).
    public let metricsRegistry: PrometheusCollectorRegistry
    /// This node among those sharing the database (one, with SQLite).
    let node: ClusterNode
    private let store: any TacitStore
    private let logger: Logger
    private let listener = ListenerState()
    private let sockets = DeviceSockets()

    /// - Parameters:
    ///   - identity: the server key; by default loaded from or created at
    ///     ``ServerConfiguration/identityKeyPath``.
    ///   - metricsRegistry: where the server's metrics go (tests pass their own).
    public init(configuration: ServerConfiguration, store: any TacitStore, identity: ServerIdentity? = nil,
                metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                logger: Logger = Logger(label: "tacit.server")) throws {
        self.configuration = configuration
        self.store = store
        self.metricsRegistry = metricsRegistry
        self.logger = logger
        self.identity = try identity ?? ServerIdentity.loadOrCreate(at: configuration.identityKeyPath, logger: logger)
        self.node = try ClusterNode(id: configuration.nodeID)
    }

    /// This node's id among the nodes sharing the database (configured or derived).
    public var nodeID: String { node.id }

    /// The port the server listens on, once it does (useful with port 0). Throws
    /// ``TacitServerError/notRunning`` if the server stopped or failed to start.
    public func boundPort() async throws -> Int {
        try await listener.port()
    }

    /// Kept short: service-lifecycle logs a service's description, and the configuration
    /// and store are nobody's business in a log line.
    public var description: String { "TacitServer" }

    public func run() async throws {
        let wakeups = ClusterLink.wakeups(for: store, node: node, configuration: configuration, logger: logger)
        let context = ServerContext(configuration: configuration, identity: identity, store: store,
                                    live: LiveConnections(wakeups: wakeups),
                                    metrics: ServerMetrics(registry: metricsRegistry), logger: logger,
                                    storeDeadline: ClusterLink.storeDeadline(for: store, configuration: configuration))
        defer { listener.stopped() }
        do {
            let application = try makeApplication(context)
            try await application.run()
        } catch {
            await sessionsFinished()
            try? await store.close()
            throw error
        }
        await sessionsFinished()
        try await store.close()
        logger.info("server stopped")
    }

    /// Waits, at most 10 s, until every device session is done with the store: their
    /// sockets are closed by then, but a session may still be leaving the registries.
    private func sessionsFinished() async {
        let sockets = sockets
        do {
            try await StoreDeadline.run(.seconds(10), "the last device sessions") { await sockets.allFinished() }
        } catch {
            logger.warning("closing the store before every device session finished", metadata: ["open": "\(sockets.count)"])
        }
    }

    private func makeApplication(_ context: ServerContext) throws -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        let store = store
        let registry = metricsRegistry
        let healthDeadline = context.storeDeadline.map { min($0, .seconds(2)) }
        router.get("health") { _, _ in await HealthRoute.respond(store: store, deadline: healthDeadline) }
        router.get("metrics") { _, _ in MetricsRoute.respond(registry: registry) }
        let blobs = try BlobService.make(for: context)
        blobs.addRoutes(to: router)
        let sockets = self.sockets
        var server = HTTPServerBuilder { responder in
            DeviceSocketServerChannel(responder: responder, context: context, sockets: sockets,
                                      idleTimeout: .seconds(60), closeTimeout: .seconds(10))
        }
        if let tls = configuration.tls {
            server = try .tls(server, tlsConfiguration: TLSFiles.serverConfiguration(tls))
        }
        let listener = listener
        let logger = logger
        let scheme = configuration.tls == nil ? "http" : "https"
        return Application(
            router: router,
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "tacit"),
            services: [MaintenanceService(context: context), ClusterService(live: context.live),
                       DeviceSocketKeepalive(sockets: sockets, interval: configuration.keepaliveInterval),
                       blobs.sweeper(every: configuration.maintenanceInterval)],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice("server listening", metadata: ["address": "\(scheme)://\(context.configuration.host):\(port)",
                                                              "serverKey": "\(Data(context.identity.publicKey).base64EncodedString())"])
                listener.listening(on: port)
            },
            logger: logger)
    }
}
