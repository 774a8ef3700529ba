import Crypto
import Foundation
import TacitStore
import TacitWire

/// A ``WireSignedDeviceList`` whose signature and structure have been checked.
struct VerifiedDeviceList: Sendable, Equatable {
    var list: WireDeviceList
    var signerKey: [UInt8]
    /// The identity keys the list names, in list order.
    var keys: [[UInt8]]
    /// What the store keeps: the version and the signed list exactly as received.
    var stored: StoredDeviceList
}

/// The rules a signed device list must follow before the directory serves it.
///
/// A device list is signed by a device of the account: the new device itself when the
/// account is registered, an active device for every later change. Each change bumps the
/// version by one and changes the key set by exactly the device added or removed.
enum DeviceListRules {
    /// Checks the signature and shape of `signed`, without relating it to any account state.
    static func open(_ signed: WireSignedDeviceList) throws(RequestFailure) -> VerifiedDeviceList {
        let signerKey = Array(signed.signerKey)
        guard signerKey.count == 32, signed.signature.count == 64 else {
            throw .badRequest("a device list needs a 32-byte signer key and a 64-byte signature")
        }
        let message = SignedMessages.deviceList(Array(signed.deviceList))
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: signerKey),
              key.isValidSignature(signed.signature, for: message) else {
            throw .badRequest("the device list signature does not verify")
        }
        guard let list = try? WireCoding.decode(WireDeviceList.self, from: signed.deviceList) else {
            throw .badRequest("the signed device list is not a valid DeviceList")
        }
        let keys = list.devices.map { Array($0.identityKey) }
        guard keys.allSatisfy({ $0.count == 32 }) else {
            throw .badRequest("every device in the list needs a 32-byte identity key")
        }
        guard Set(keys).count == keys.count else {
            throw .badRequest("the device list names a key twice")
        }
        let bytes = WireCoding.encode(signed)
        return VerifiedDeviceList(list: list, signerKey: signerKey, keys: keys,
                                  stored: StoredDeviceList(version: list.version, signedList: bytes))
    }

    /// The first list of a new account: version 1, exactly the registering device, signed by it.
    static func verifyFirst(_ signed: WireSignedDeviceList, username: String,
                            deviceKey: [UInt8]) throws(RequestFailure) -> VerifiedDeviceList {
        let verified = try open(signed)
        guard verified.signerKey == deviceKey else {
            throw .badRequest("the first device list must be signed by the registering device")
        }
        guard verified.list.username == username else {
            throw .badRequest("the device list is for '\(verified.list.username)', not '\(username)'")
        }
        guard verified.list.version == 1 else {
            throw .badRequest("the first device list has version 1, not \(verified.list.version)")
        }
        guard verified.keys == [deviceKey] else {
            throw .badRequest("the first device list must list exactly the registering device")
        }
        return verified
    }

    /// A list replacing version `previousVersion`: signed by one of `activeKeys`, naming
    /// exactly `expectedKeys`.
    static func verifySuccessor(_ signed: WireSignedDeviceList, username: String, previousVersion: UInt64,
                                activeKeys: Set<[UInt8]>,
                                expectedKeys: Set<[UInt8]>) throws(RequestFailure) -> VerifiedDeviceList {
        let verified = try open(signed)
        guard activeKeys.contains(verified.signerKey) else {
            throw .forbidden("the device list must be signed by an active device of the account")
        }
        guard verified.list.username == username else {
            throw .badRequest("the device list is for '\(verified.list.username)', not '\(username)'")
        }
        guard verified.list.version == previousVersion &+ 1 else {
            throw .conflict("the new device list must have version \(previousVersion &+ 1), "
                                + "not \(verified.list.version); sign it again from the current list")
        }
        guard Set(verified.keys) == expectedKeys else {
            throw .badRequest("the new device list must change exactly the one device being added or removed")
        }
        return verified
    }
}
