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

    /// Runs a store operation, turning its failures into the ``RequestFailure`` a client
    /// sees. Unexpected failures are logged here (never with message contents).
    func storeCall<T: Sendable>(_ operation: String,
                                _ body: (any TacitStore) async throws -> T) async throws(RequestFailure) -> T {
        do {
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
