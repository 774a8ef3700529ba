import Foundation
import Logging
import Prometheus
import TacitServer
import TacitStore

/// A server node in the test process, on a PostgreSQL database shared with other nodes.
struct InProcessNode: Sendable {
    let running: RunningTacitServer
    let registry: PrometheusCollectorRegistry

    var port: Int { running.port }
    var url: String { "ws://127.0.0.1:\(port)" }

    static func start(database: TestDatabase, identity: ServerIdentity, nodeID: String,
                      catchUpInterval: Duration = .seconds(5), storeTimeout: Duration = .seconds(2)) async throws -> InProcessNode {
        var logger = Logger(label: "test.node.\(nodeID)")
        logger.logLevel = .critical
        let registry = PrometheusCollectorRegistry()
        let configuration = ServerConfiguration(
            port: 0, dataDirectory: temporaryDirectory("data-\(nodeID)").path,
            database: .postgres(.init(url: database.url, poolSize: 4, connectTimeout: .seconds(10))),
            nodeID: nodeID, storeTimeout: storeTimeout, catchUpInterval: catchUpInterval)
        let store = try await TacitServer.openStore(configuration: configuration, metricsRegistry: registry, logger: logger)
        let server = try TacitServer(configuration: configuration, store: store, identity: identity,
                                     metricsRegistry: registry, logger: logger)
        return InProcessNode(running: try await server.start(logger: logger), registry: registry)
    }

    func stop() async {
        try? await running.stop()
    }

    /// `tacit_connections_open` of this node.
    func openConnections() async throws -> Int {
        let (_, body) = try await HTTPGet.fetch(port: port, path: "/metrics")
        return HTTPGet.gauge("tacit_connections_open", in: body) ?? -1
    }
}
