import Foundation
import TacitWire

/// One device of an account, as verified against the account's signed device list.
public struct DeviceInfo: Sendable, Equatable, Identifiable {
    /// The server's id for the device (what messages are addressed to).
    public var id: DeviceID
    /// The device's Ed25519 identity key.
    public var identityKey: [UInt8]
    /// The name the device chose, as signed in the device list.
    public var name: String
    /// When the device joined, as signed in the device list.
    public var created: Date

    public init(id: DeviceID, identityKey: [UInt8], name: String, created: Date) {
        self.id = id
        self.identityKey = identityKey
        self.name = name
        self.created = created
    }
}

/// An account's devices, verified: the list is signed by one of its devices and the devices
/// the server serves are exactly those in the signed list.
public struct AccountDevices: Sendable, Equatable {
    /// The account's (normalized) username.
    public var username: String
    /// The signed list's version; increases with every change.
    public var version: UInt64
    /// The devices, in the signed list's order.
    public var devices: [DeviceInfo]
    /// Identity key of the device that signed this version of the list.
    public var signerKey: [UInt8]

    /// The ids of all devices, for ``TacitClient/send(to:body:clientMessageID:)``.
    public var deviceIDs: [DeviceID] { devices.map(\.id) }
}

/// A one-time code, created on an existing device, that a new device uses to join the account.
public struct DeviceLinkCode: Sendable, Equatable, Hashable {
    /// The code to type on the new device, e.g. `7KQM-X3FD-9TZA`.
    public var code: String
    /// When the server stops accepting it.
    public var expires: Date
}
