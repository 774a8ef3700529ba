import Foundation
import SwiftProtobuf
import TacitWire

/// Checks a signed device list served by the directory.
///
/// A list is accepted when its signature verifies with `signer_key` over exactly the bytes
/// that were signed, the signer is itself one of the listed devices, the list names the
/// expected account, and no key appears twice. The devices the server serves next to the
/// list must then be exactly the listed ones: the server can add ids, never devices.
enum DeviceListVerifier {
    /// Verifies `signed` and returns the list it carries.
    static func verify(_ signed: WireSignedDeviceList, username: String) throws(ClientError) -> WireDeviceList {
        let list: WireDeviceList
        do {
            list = try WireDeviceList(serializedBytes: signed.deviceList)
        } catch {
            throw .deviceListInvalid("the list cannot be decoded")
        }
        guard DeviceIdentity.isValid(signature: signed.signature, by: signed.signerKey,
                                     over: SignedMessages.deviceList(signed.deviceList))
        else { throw .deviceListInvalid("the signature does not verify") }
        guard list.username == username else {
            throw .deviceListInvalid("the list belongs to '\(list.username)', not '\(username)'")
        }
        var keys = Set<Data>()
        for entry in list.devices {
            guard entry.identityKey.count == 32 else { throw .deviceListInvalid("a device key is not 32 bytes") }
            guard keys.insert(entry.identityKey).inserted else {
                throw .deviceListInvalid("a device key appears twice")
            }
        }
        guard keys.contains(signed.signerKey) else {
            throw .deviceListInvalid("the signer is not one of the listed devices")
        }
        return list
    }

    /// Pairs the served devices with the signed list; fails unless they are the same set of keys.
    /// Names and creation times come from the signed list, ids from the server.
    static func match(served: [WireDevice], list: WireDeviceList) throws(ClientError) -> [DeviceInfo] {
        var servedByKey: [Data: WireDevice] = [:]
        var ids = Set<UInt64>()
        for device in served {
            guard servedByKey.updateValue(device, forKey: device.identityKey) == nil else {
                throw .deviceListInvalid("the server lists a device twice")
            }
            guard ids.insert(device.deviceID).inserted else {
                throw .deviceListInvalid("the server gives two devices the same id")
            }
        }
        guard servedByKey.count == list.devices.count else {
            throw .deviceListInvalid("the server serves \(served.count) devices, the signed list has \(list.devices.count)")
        }
        var result: [DeviceInfo] = []
        for entry in list.devices {
            guard let device = servedByKey[entry.identityKey] else {
                throw .deviceListInvalid("a device in the signed list is missing from the server's answer")
            }
            result.append(DeviceInfo(id: device.deviceID, identityKey: Array(entry.identityKey), name: entry.name,
                                     created: Date(millisecondsSince1970: entry.createdMs)))
        }
        return result
    }

    /// Verifies a directory answer end to end.
    static func verifiedDevices(username: String, served: [WireDevice],
                                signed: WireSignedDeviceList) throws(ClientError) -> AccountDevices {
        let list = try verify(signed, username: username)
        let devices = try match(served: served, list: list)
        return AccountDevices(username: username, version: list.version, devices: devices,
                              signerKey: Array(signed.signerKey))
    }
}
