import Foundation
import Synchronization
import TacitStore
import TacitWire

/// The authenticated connections of this server process, one per device, and the link
/// claims that wait for approval.
///
/// Everything here is in memory: a restart drops live sockets, and with them every
/// pending claim (whose claimant socket is gone anyway).
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

    private struct State {
        var sessions: [DeviceID: ConnectionSession] = [:]
        var claims: [String: PendingClaim] = [:]
    }

    private let state = Mutex(State())

    /// Makes `session` the live connection of `device`, replacing (and closing) an older one.
    /// Returns the link claims on this device's codes that still wait for approval.
    func attach(_ session: ConnectionSession, as device: DeviceID, now: Date) -> [WireLinkRequested] {
        let (previous, waiting) = state.withLock { state in
            let previous = state.sessions.updateValue(session, forKey: device)
            let waiting = state.claims.values
                .filter { $0.link.creatorDevice == device && $0.link.expiresAt > now }
                .sorted { $0.link.expiresAt < $1.link.expiresAt }
                .map(\.request)
            return (previous, waiting)
        }
        if let previous, previous !== session { previous.post(.replaced) }
        return waiting
    }

    /// Forgets `session` as the live connection of `device` (unless a newer one took over).
    func detach(_ session: ConnectionSession, as device: DeviceID) {
        state.withLock { state in
            if state.sessions[device] === session { state.sessions[device] = nil }
        }
    }

    /// The live connection of `device`, if it is online.
    func session(for device: DeviceID) -> ConnectionSession? {
        state.withLock { $0.sessions[device] }
    }

    /// Tells the online devices among `devices` that their queues grew.
    func nudge(_ devices: some Sequence<DeviceID>) {
        let sessions = state.withLock { state in devices.compactMap { state.sessions[$0] } }
        for session in sessions { session.nudge() }
    }

    /// Sends `event` to the live connection of `device`, if any.
    func post(_ event: SessionEvent, to device: DeviceID) {
        session(for: device)?.post(event)
    }

    var onlineDeviceCount: Int { state.withLock { $0.sessions.count } }

    // MARK: Link claims

    /// Records a claim and tells the code's creator, if it is online.
    func addClaim(_ claim: PendingClaim) {
        let creator = state.withLock { state in
            state.claims[claim.link.code] = claim
            return state.sessions[claim.link.creatorDevice]
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
