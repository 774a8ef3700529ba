import Logging
import Foundation
import TacitStore
import TacitWire

/// Looking up accounts: their active devices and the signed device list clients verify.
struct DirectoryRequests: Sendable {
    let context: ServerContext

    func lookup(_ request: WireLookupRequest) async throws(RequestFailure) -> WireLookupResponse {
        let username: String
        do {
            username = try Username.normalize(request.username)
        } catch {
            throw .badRequest(error.description)
        }
        let (devices, list) = try await account(username)
        var response = WireLookupResponse()
        response.username = username
        response.devices = devices
        response.deviceList = list
        return response
    }

    func listDevices(of device: AuthenticatedDevice) async throws(RequestFailure) -> WireListDevicesResponse {
        let (devices, list) = try await account(device.username)
        var response = WireListDevicesResponse()
        response.devices = devices
        response.deviceList = list
        return response
    }

    private func account(_ username: String) async throws(RequestFailure) -> ([WireDevice], WireSignedDeviceList) {
        guard let stored = try await context.storeCall("deviceList", { try await $0.deviceList(username: username) })
        else {
            throw .notFound("there is no account named '\(username)'")
        }
        let records = try await context.storeCall("activeDevices") { try await $0.activeDevices(username: username) }
        guard let list = try? WireCoding.decode(WireSignedDeviceList.self, from: stored.signedList) else {
            context.logger.error("stored device list does not parse", metadata: ["username": "\(username)"])
            throw .internal("the stored device list is damaged")
        }
        return (records.map(WireDevice.init), list)
    }
}

extension WireDevice {
    init(_ record: DeviceRecord) {
        self.init()
        deviceID = record.id
        identityKey = Data(record.identityKey)
        name = record.name
        createdMs = WireTime.milliseconds(record.createdAt)
    }
}
