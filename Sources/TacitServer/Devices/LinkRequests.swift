import Logging
import Foundation
import TacitStore
import TacitWire

/// Adding a device to an account: an existing device creates a one-time code, the new
/// device claims it (during its handshake), and the existing device approves the claim
/// with a new signed device list that adds exactly the claimed key.
struct LinkRequests: Sendable {
    let context: ServerContext

    func createLinkCode(for device: AuthenticatedDevice,
                        now: Date) async throws(RequestFailure) -> WireCreateLinkCodeResponse {
        let expiresAt = now.addingTimeInterval(context.configuration.linkCodeLifetime.timeInterval)
        // A fresh code collides with a live one about never; retry the rare conflict.
        var attempts = 0
        while true {
            attempts += 1
            let link = LinkCode(code: LinkCodeFormat.generate(), username: device.username,
                                creatorDevice: device.id, expiresAt: expiresAt)
            do {
                try await context.storeCall("createLinkCode") { try await $0.createLinkCode(link) }
                var response = WireCreateLinkCodeResponse()
                response.code = link.code
                response.expiresMs = WireTime.milliseconds(expiresAt)
                return response
            } catch where error.code == .conflict && attempts < 3 {
                continue
            }
        }
    }

    func approveLink(_ request: WireApproveLinkRequest, by device: AuthenticatedDevice,
                     now: Date) async throws(RequestFailure) -> WireApproveLinkResponse {
        guard let code = LinkCodeFormat.normalize(request.code),
              let link = try await context.storeCall("linkCode", { try await $0.linkCode(code, now: now) })
        else {
            throw .notFound("unknown or expired link code")
        }
        guard link.username == device.username else {
            throw .forbidden("that link code belongs to another account")
        }
        guard let claimedKey = link.claimedDeviceKey else {
            throw .badRequest("no device has claimed this link code yet")
        }
        guard let claim = context.live.claim(code), claim.deviceKey == claimedKey else {
            throw .notFound("the device that claimed this link code is no longer connected")
        }
        if try await context.storeCall("deviceByKey", { try await $0.device(identityKey: claimedKey) }) != nil {
            throw .conflict("the claimed key belongs to a device already")
        }
        let (active, current) = try await accountState(device.username)
        let activeKeys = Set(active.map(\.identityKey))
        let list = try DeviceListRules.verifySuccessor(request.deviceList, username: device.username,
                                                       previousVersion: current.version,
                                                       activeKeys: activeKeys,
                                                       expectedKeys: activeKeys.union([claimedKey]))
        let newDevice = NewDevice(identityKey: claimedKey, name: claim.deviceName, createdAt: now)
        let record = try await context.storeCall("addDevice") {
            try await $0.addDevice(username: device.username, device: newDevice, deviceList: list.stored,
                                   replacingVersion: current.version)
        }
        try? await context.store.deleteLinkCode(code)
        context.live.takeClaim(code)?.claimant.post(.linkApproved(record))
        context.logger.info("device linked", metadata: ["device": "\(record.id)", "approver": "\(device.id)"])
        var response = WireApproveLinkResponse()
        response.deviceID = record.id
        return response
    }

    private func accountState(_ username: String) async throws(RequestFailure) -> ([DeviceRecord], StoredDeviceList) {
        let active = try await context.storeCall("activeDevices") { try await $0.activeDevices(username: username) }
        guard let current = try await context.storeCall("deviceList", { try await $0.deviceList(username: username) })
        else {
            throw .internal("the account has no device list")
        }
        return (active, current)
    }
}
