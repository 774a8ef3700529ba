import Prometheus
import Foundation
import Logging
import ServiceLifecycle
import TacitStore

/// Periodic upkeep: deletes queue entries older than the expiry, refreshes the queue-depth
/// gauge. Runs beside the HTTP server and stops at graceful shutdown.
struct MaintenanceService: Service, CustomStringConvertible {
    let context: ServerContext

    var description: String { "TacitServer.Maintenance" }

    func run() async throws {
        await sweep()
        let interval = context.configuration.maintenanceInterval
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                await sweep()
            }
        }
    }

    /// One round of upkeep; failures are logged and retried next round.
    func sweep() async {
        let cutoff = Date().addingTimeInterval(-context.configuration.queueExpiry.timeInterval)
        do {
            let expired = try await context.store.expire(before: cutoff)
            if expired > 0 {
                context.logger.info("expired queue entries", metadata: ["count": "\(expired)"])
            }
            let depth = try await context.store.queueDepth()
            context.metrics.queueDepth.set(Double(depth))
        } catch {
            context.logger.warning("maintenance failed", metadata: ["error": "\(String(describing: error))"])
        }
    }
}
