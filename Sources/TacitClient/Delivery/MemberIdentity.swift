import TacitWire

extension TacitClient {
    /// The identity inside a Tacit member's MLS BasicCredential: the serialized
    /// `MemberIdentity { username, device_id }` of `proto/tacit.proto`.
    ///
    /// The server accepts only KeyPackages whose credential is exactly these bytes for
    /// the publishing device.
    public static func memberIdentity(username: String, deviceID: DeviceID) -> [UInt8] {
        var identity = WireMemberIdentity()
        identity.username = username
        identity.deviceID = deviceID
        return WireCoding.encode(identity)
    }

    /// The account and device a BasicCredential identity names, or `nil` when the bytes
    /// are not the canonical encoding of a `MemberIdentity` with a username.
    public static func parseMemberIdentity(_ bytes: [UInt8]) -> (username: String, deviceID: DeviceID)? {
        guard let identity = try? WireCoding.decode(WireMemberIdentity.self, from: bytes),
              !identity.username.isEmpty,
              memberIdentity(username: identity.username, deviceID: identity.deviceID) == bytes
        else { return nil }
        return (identity.username, identity.deviceID)
    }
}
