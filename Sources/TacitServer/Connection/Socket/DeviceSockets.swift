import NIOCore
import ServiceLifecycle
import Synchronization

/// Every open device socket of this server. One shared timer pings them all (no timer per
/// connection), and shutdown waits here until each session is done with the store.
final class DeviceSockets: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.channels.count } }

    /// A socket was upgraded; it counts until ``finished(_:)``.
    func opened(_ channel: any Channel) {
        state.withLock { $0.channels[ObjectIdentifier(channel)] = channel }
    }

    /// The socket's session has left every registry and will touch the store no more.
    func finished(_ channel: any Channel) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.channels[ObjectIdentifier(channel)] = nil
            guard state.channels.isEmpty else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no socket is left (the server's listener has stopped by then, so none
    /// can open).
    func allFinished() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.channels.isEmpty { return true }
                state.waiters.append(waiter)
                return false
            }
            if now { waiter.resume() }
        }
    }

    /// One keep-alive round: each socket pings, or closes if its last ping went unanswered.
    func keepaliveRound() {
        for channel in state.withLock({ Array($0.channels.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(DeviceSocketHandler.KeepaliveTick())
        }
    }
}

/// Runs the keep-alive rounds of ``DeviceSockets`` until graceful shutdown.
struct DeviceSocketKeepalive: Service, CustomStringConvertible {
    let sockets: DeviceSockets
    let interval: Duration

    var description: String { "TacitServer.Keepalive" }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                sockets.keepaliveRound()
            }
        }
    }
}
