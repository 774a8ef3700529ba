import Logging
import ServiceLifecycle

/// Keeps this node's live connections in step with the other nodes: runs the wakeup
/// link, and every second lets connections that nothing woke for a ``DeliveryWakeups/catchUpInterval``
/// re-read their queues. Stops at graceful shutdown.
struct ClusterService: Service, CustomStringConvertible {
    let live: LiveConnections

    var description: String { "TacitServer.Cluster" }

    func run() async throws {
        let live = self.live
        let wakeups = live.wakeups
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await wakeups.run { live.handle($0) } }
                if let interval = wakeups.catchUpInterval {
                    group.addTask {
                        let tick = min(interval, .seconds(1))
                        while !Task.isCancelled {
                            try? await Task.sleep(for: tick)
                            live.catchUp(idleFor: interval)
                        }
                    }
                }
            }
        }
    }
}
