/// Another device's KeyPackage, taken from the server's directory to add that device to a group.
public struct ClaimedKeyPackage: Sendable, Equatable {
    /// The device the package belongs to.
    public var deviceID: DeviceID
    /// The bare TLS encoding of the MLS `KeyPackage` (RFC 9420, Section 10). The server
    /// checked its signatures and that its credential names ``deviceID``; a client still
    /// validates it before use.
    public var keyPackage: [UInt8]
    /// True when the device had no one-time package left and this is its last-resort
    /// package, which others may be handed too.
    public var isLastResort: Bool

    /// A claimed package of `deviceID`.
    public init(deviceID: DeviceID, keyPackage: [UInt8], isLastResort: Bool) {
        self.deviceID = deviceID
        self.keyPackage = keyPackage
        self.isLastResort = isLastResort
    }
}
