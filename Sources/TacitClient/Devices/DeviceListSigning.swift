import Foundation
import SwiftProtobuf
import TacitWire

/// Builds and signs new versions of the account's device list.
enum DeviceListSigning {
    /// Signs `list` with `identity`: Ed25519 over `"tacit-device-list-v1" || serialized list`.
    static func sign(_ list: WireDeviceList, with identity: DeviceIdentity) throws(ClientError) -> WireSignedDeviceList {
        let bytes: [UInt8]
        do {
            bytes = try list.serializedBytes()
        } catch {
            throw .internalFailure("cannot serialize the device list: \(error)")
        }
        var signed = WireSignedDeviceList()
        signed.deviceList = Data(bytes)
        signed.signerKey = Data(identity.publicKey)
        signed.signature = Data(try identity.sign(SignedMessages.deviceList(bytes)))
        return signed
    }

    /// The first list of a new account: version 1 with only this device.
    static func initial(username: String, deviceName: String, identity: DeviceIdentity,
                        now: Date) throws(ClientError) -> WireSignedDeviceList {
        var list = WireDeviceList()
        list.username = username
        list.version = 1
        list.devices = [entry(key: identity.publicKey, name: deviceName, now: now)]
        return try sign(list, with: identity)
    }

    /// `current` plus a new device, one version later.
    static func adding(key: [UInt8], name: String, to current: WireDeviceList, identity: DeviceIdentity,
                       now: Date) throws(ClientError) -> WireSignedDeviceList {
        var list = current
        list.version = current.version + 1
        if !list.devices.contains(where: { $0.identityKey == Data(key) }) {
            list.devices.append(entry(key: key, name: name, now: now))
        }
        return try sign(list, with: identity)
    }

    /// `current` without the device whose key is `key`, one version later.
    static func removing(key: [UInt8], from current: WireDeviceList,
                         identity: DeviceIdentity) throws(ClientError) -> WireSignedDeviceList {
        var list = current
        list.version = current.version + 1
        list.devices.removeAll { $0.identityKey == Data(key) }
        return try sign(list, with: identity)
    }

    private static func entry(key: [UInt8], name: String, now: Date) -> WireDeviceEntry {
        var entry = WireDeviceEntry()
        entry.identityKey = Data(key)
        entry.name = name
        entry.createdMs = now.millisecondsSince1970
        return entry
    }
}
