import Foundation
import SwiftProtobuf
import Testing
import TacitWire
@testable import TacitClient

/// The directory's answers are untrusted: every way of bending them must be caught.
@Suite struct DeviceListVerifierTests {
    let first = DeviceIdentity()
    let second = DeviceIdentity()
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// A genuine two-device list of "alice", signed by the first device, and what a
    /// truthful server would serve with it.
    func genuine() throws -> (WireSignedDeviceList, [WireDevice]) {
        let initial = try DeviceListSigning.initial(username: "alice", deviceName: "laptop", identity: first, now: now)
        let list = try WireDeviceList(serializedBytes: initial.deviceList)
        let signed = try DeviceListSigning.adding(key: second.publicKey, name: "phone", to: list, identity: first, now: now)
        return (signed, [served(1, first), served(2, second)])
    }

    func served(_ id: UInt64, _ identity: DeviceIdentity) -> WireDevice {
        var device = WireDevice()
        device.deviceID = id
        device.identityKey = Data(identity.publicKey)
        device.name = "whatever the server says"
        return device
    }

    @Test func acceptsAGenuineList() throws {
        let (signed, devices) = try genuine()
        let verified = try DeviceListVerifier.verifiedDevices(username: "alice", served: devices, signed: signed)
        #expect(verified.version == 2)
        #expect(verified.deviceIDs == [1, 2])
        // Names come from the signed list, not from the server.
        #expect(verified.devices.map(\.name) == ["laptop", "phone"])
        #expect(verified.signerKey == first.publicKey)
    }

    @Test func rejectsAFlippedByteInTheList() throws {
        var (signed, devices) = try genuine()
        var bytes = Array(signed.deviceList)
        bytes[bytes.count / 2] ^= 0x01
        signed.deviceList = Data(bytes)
        #expect(throws: ClientError.self) {
            try DeviceListVerifier.verifiedDevices(username: "alice", served: devices, signed: signed)
        }
    }

    @Test func rejectsASignerOutsideTheList() throws {
        let (genuineList, devices) = try genuine()
        let list = try WireDeviceList(serializedBytes: genuineList.deviceList)
        let forged = try DeviceListSigning.sign(list, with: DeviceIdentity())
        #expect(throws: ClientError.deviceListInvalid("the signer is not one of the listed devices")) {
            try DeviceListVerifier.verifiedDevices(username: "alice", served: devices, signed: forged)
        }
    }

    @Test func rejectsAListOfAnotherAccount() throws {
        let (signed, devices) = try genuine()
        #expect(throws: ClientError.self) {
            try DeviceListVerifier.verifiedDevices(username: "mallory", served: devices, signed: signed)
        }
    }

    @Test func rejectsAnExtraServedDevice() throws {
        let (signed, devices) = try genuine()
        #expect(throws: ClientError.self) {
            try DeviceListVerifier.verifiedDevices(username: "alice", served: devices + [served(3, DeviceIdentity())],
                                                   signed: signed)
        }
    }

    @Test func rejectsAMissingServedDevice() throws {
        let (signed, devices) = try genuine()
        #expect(throws: ClientError.self) {
            try DeviceListVerifier.verifiedDevices(username: "alice", served: [devices[0]], signed: signed)
        }
    }

    @Test func rejectsASwappedKey() throws {
        let (signed, devices) = try genuine()
        let swapped = [devices[0], served(2, DeviceIdentity())]
        #expect(throws: ClientError.self) {
            try DeviceListVerifier.verifiedDevices(username: "alice", served: swapped, signed: signed)
        }
    }

    @Test func rejectsTwoDevicesWithOneID() throws {
        let (signed, devices) = try genuine()
        let clash = [devices[0], served(1, second)]
        #expect(throws: ClientError.self) {
            try DeviceListVerifier.verifiedDevices(username: "alice", served: clash, signed: signed)
        }
    }

    @Test func rejectsGarbage() throws {
        var signed = WireSignedDeviceList()
        signed.deviceList = Data([0xFF, 0xFF, 0xFF])
        signed.signerKey = Data(first.publicKey)
        signed.signature = Data(repeating: 0, count: 64)
        #expect(throws: ClientError.self) {
            try DeviceListVerifier.verifiedDevices(username: "alice", served: [], signed: signed)
        }
    }

    @Test func removingDropsExactlyOneDevice() throws {
        let (signed, _) = try genuine()
        let list = try WireDeviceList(serializedBytes: signed.deviceList)
        let smaller = try DeviceListSigning.removing(key: second.publicKey, from: list, identity: first)
        let verified = try DeviceListVerifier.verify(smaller, username: "alice")
        #expect(verified.version == 3)
        #expect(verified.devices.map { Array($0.identityKey) } == [first.publicKey])
    }
}
