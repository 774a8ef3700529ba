import Foundation
import Synchronization
import TacitStore
import TacitWire

/// The authenticated connections of this server process, one per device, and the link
/// claims that wait for approval.
///
/// Everything here is in memory: a restart drops live sockets, and with them every
/// pending claim (whose claimant socket is gone anyway).
///
/// With several nodes, ``wakeups`` carries what this node's connections need from the
/// others: a send's recipients connected elsewhere are woken there, a device that
/// connects here closes its older connection on another node (and the other way round),
/// and a revocation closes the device's connection wherever it is. Link claims stay on
/// the node that holds them.
final class LiveConnections: Sendable {
    /// A link code claimed by a device that is still connected and waiting.
    struct PendingClaim: Sendable {
        var link: LinkCode
        var deviceKey: [UInt8]
        var deviceName: String
        var claimant: ConnectionSession

        var request: WireLinkRequested {
            var message = WireLinkRequested()
            message.code = link.code
            message.deviceKey = Data(deviceKey)
            message.deviceName = deviceName
            return message
        }
    }

    /// A device's live connection here.
    private struct Entry {
        var session: ConnectionSession
        /// This node's number for the connection, announced in its ``ConnectionClaim``.
        var sequence: UInt64
        /// Whether the claim came back through the cluster channel: a claim of another
        /// node heard after that is newer, one heard before is older.
        var confirmed = false
        /// When the connection last re-read its queue (for the catch-up).
        var lastNudge: ContinuousClock.Instant
    }

    private struct State {
        var sessions: [DeviceID: Entry] = [:]
        var claims: [String: PendingClaim] = [:]
        var nextSequence: UInt64 = 1
    }

    private let state = Mutex(State())
    let wakeups: any DeliveryWakeups

    init(wakeups: any DeliveryWakeups = LocalWakeups()) {
        self.wakeups = wakeups
    }

    /// Makes `session` the live connection of `device`, replacing (and closing) an older one.
    /// Returns the link claims on this device's codes that still wait for approval.
    func attach(_ session: ConnectionSession, as device: DeviceID, now: Date) -> [WireLinkRequested] {
        let (previous, waiting, sequence) = state.withLock { state in
            let sequence = state.nextSequence
            state.nextSequence += 1
            let previous = state.sessions.updateValue(Entry(session: session, sequence: sequence, lastNudge: .now),
                                                      forKey: device)?.session
            let waiting = state.claims.values
                .filter { $0.link.creatorDevice == device && $0.link.expiresAt > now }
                .sorted { $0.link.expiresAt < $1.link.expiresAt }
                .map(\.request)
            return (previous, waiting, sequence)
        }
        if let previous, previous !== session { previous.post(.replaced) }
        wakeups.publish(.claim([ConnectionClaim(device: device, sequence: sequence)]))
        return waiting
    }

    /// Forgets `session` as the live connection of `device` (unless a newer one took over).
    func detach(_ session: ConnectionSession, as device: DeviceID) {
        state.withLock { state in
            if state.sessions[device]?.session === session { state.sessions[device] = nil }
        }
    }

    /// The live connection of `device`, if it is online.
    func session(for device: DeviceID) -> ConnectionSession? {
        state.withLock { $0.sessions[device]?.session }
    }

    /// Tells `devices` that their queues grew (call it once the enqueue is durable): the
    /// ones online here at once, the ones online on other nodes through ``wakeups``.
    func nudge(_ devices: some Sequence<DeviceID>) {
        let devices = Array(devices)
        nudgeLocal(devices)
        wakeups.publish(.wake(devices))
    }

    /// Sends `event` to the live connection of `device`, if any. A revocation also goes
    /// to the other nodes, wherever the device is connected.
    func post(_ event: SessionEvent, to device: DeviceID) {
        session(for: device)?.post(event)
        if case .revoked = event { wakeups.publish(.revoke([device])) }
    }

    var onlineDeviceCount: Int { state.withLock { $0.sessions.count } }

    // MARK: Other nodes

    /// Carries out what another node asked for (see ``ClusterEvent``).
    func handle(_ event: ClusterEvent) {
        switch event {
        case .wake(let devices):
            nudgeLocal(devices)
        case .revoke(let devices):
            for device in devices { session(for: device)?.post(.revoked) }
        case .claim(let claim, let own):
            let replaced = state.withLock { state -> ConnectionSession? in
                guard var entry = state.sessions[claim.device] else { return nil }
                if own {
                    if entry.sequence == claim.sequence {
                        entry.confirmed = true
                        state.sessions[claim.device] = entry
                    }
                    return nil
                }
                // Heard before our own claim came back, the other claim is the older one.
                guard entry.confirmed else { return nil }
                state.sessions[claim.device] = nil
                return entry.session
            }
            replaced?.post(.replaced)
        case .resynchronize:
            let sessions = state.withLock { state in
                let now = ContinuousClock.now
                for device in state.sessions.keys { state.sessions[device]?.lastNudge = now }
                return state.sessions.values.map(\.session)
            }
            for session in sessions { session.nudge() }
        }
    }

    /// Lets every connection that nothing woke for `interval` re-read its queue, in case
    /// a wakeup from another node was lost.
    func catchUp(idleFor interval: Duration) {
        let sessions = state.withLock { state -> [ConnectionSession] in
            let now = ContinuousClock.now
            var due: [ConnectionSession] = []
            for (device, entry) in state.sessions where entry.lastNudge + interval <= now {
                state.sessions[device]?.lastNudge = now
                due.append(entry.session)
            }
            return due
        }
        for session in sessions { session.nudge() }
    }

    private func nudgeLocal(_ devices: [DeviceID]) {
        let sessions = state.withLock { state in
            let now = ContinuousClock.now
            return devices.compactMap { device -> ConnectionSession? in
                guard state.sessions[device] != nil else { return nil }
                state.sessions[device]?.lastNudge = now
                return state.sessions[device]?.session
            }
        }
        for session in sessions { session.nudge() }
    }

    // MARK: Link claims

    /// Records a claim and tells the code's creator, if it is online.
    func addClaim(_ claim: PendingClaim) {
        let creator = state.withLock { state in
            state.claims[claim.link.code] = claim
            return state.sessions[claim.link.creatorDevice]?.session
        }
        creator?.post(.linkRequested(claim.request))
    }

    /// The waiting claim on `code`, if its claimant is still connected.
    func claim(_ code: String) -> PendingClaim? {
        state.withLock { $0.claims[code] }
    }

    /// Removes the claim on `code` and returns it.
    func takeClaim(_ code: String) -> PendingClaim? {
        state.withLock { $0.claims.removeValue(forKey: code) }
    }

    /// Removes the claims `session` made (it disconnected); returns their codes.
    func removeClaims(of session: ConnectionSession) -> [String] {
        state.withLock { state in
            let codes = state.claims.filter { $0.value.claimant === session }.map(\.key)
            for code in codes { state.claims[code] = nil }
            return codes
        }
    }
}
