import TacitWire
import Foundation
import Logging
import TacitStore

/// What every part of a running server shares.
struct ServerContext: Sendable {
    let configuration: ServerConfiguration
    let identity: ServerIdentity
    let store: any TacitStore
    let live: LiveConnections
    let metrics: ServerMetrics
    let logger: Logger
    /// How long a request waits for the store before failing with `retryLater`; `nil` for
    /// an embedded store, which never waits for a network.
    var storeDeadline: Duration? = nil

    /// Runs a store operation, turning its failures into the ``RequestFailure`` a client
    /// sees. Unexpected failures are logged here (never with message contents).
    func storeCall<T: Sendable>(_ operation: String,
                                _ body: @escaping @Sendable (any TacitStore) async throws -> T) async throws(RequestFailure) -> T {
        do {
            if let storeDeadline {
                let store = self.store
                return try await StoreDeadline.run(storeDeadline, operation) { try await body(store) }
            }
            return try await body(store)
        } catch {
            let failure = RequestFailure.store(error)
            if failure.code == .internal || failure.code == .retryLater {
                logger.error("store operation failed",
                             metadata: ["operation": "\(operation)", "error": "\(String(describing: error))"])
            }
            throw failure
        }
    }
}
