import Logging
import Foundation
import TacitStore
import TacitWire

/// Removing a device: an active device of the account signs a list without it.
struct RevokeRequests: Sendable {
    let context: ServerContext

    /// Whether the revoked device is the one asking (its socket closes after the answer).
    struct Outcome: Sendable {
        var response: WireRevokeDeviceResponse
        var revokedSelf: Bool
    }

    func revokeDevice(_ request: WireRevokeDeviceRequest,
                      by device: AuthenticatedDevice) async throws(RequestFailure) -> Outcome {
        let targetID = request.deviceID
        guard let target = try await context.storeCall("device", { try await $0.device(id: targetID) }),
              target.username == device.username else {
            throw .notFound("the account has no device \(targetID)")
        }
        guard !target.isRevoked else {
            throw .conflict("device \(targetID) was revoked already")
        }
        let active = try await context.storeCall("activeDevices") { try await $0.activeDevices(username: device.username) }
        guard let current = try await context.storeCall("deviceList", { try await $0.deviceList(username: device.username) })
        else {
            throw .internal("the account has no device list")
        }
        let activeKeys = Set(active.map(\.identityKey))
        guard activeKeys.count > 1 else {
            throw .badRequest("an account keeps at least one device; this is its last")
        }
        var remaining = activeKeys
        remaining.remove(target.identityKey)
        let list = try DeviceListRules.verifySuccessor(request.deviceList, username: device.username,
                                                       previousVersion: current.version,
                                                       activeKeys: activeKeys, expectedKeys: remaining)
        try await context.storeCall("revokeDevice") {
            try await $0.revokeDevice(id: targetID, deviceList: list.stored, replacingVersion: current.version)
        }
        context.logger.info("device revoked", metadata: ["device": "\(targetID)", "by": "\(device.id)"])
        let revokedSelf = targetID == device.id
        if !revokedSelf { context.live.post(.revoked, to: targetID) }
        return Outcome(response: WireRevokeDeviceResponse(), revokedSelf: revokedSelf)
    }
}
