/// How an MLS message is carried (RFC 9420, Section 6 and the "MLS Wire Formats" registry, 17.2).
///
/// Open-valued: unknown values decode, so callers can refuse them with a precise error.
public struct WireFormat: RawRepresentable, Hashable, Sendable, MLSCodable, CustomStringConvertible {
    /// The registered value.
    public var rawValue: UInt16

    /// Wraps a registered value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `mls_public_message`.
    public static let publicMessage = WireFormat(rawValue: 1)
    /// `mls_private_message`.
    public static let privateMessage = WireFormat(rawValue: 2)
    /// `mls_welcome`.
    public static let welcome = WireFormat(rawValue: 3)
    /// `mls_group_info`.
    public static let groupInfo = WireFormat(rawValue: 4)
    /// `mls_key_package`.
    public static let keyPackage = WireFormat(rawValue: 5)

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }

    public init(from decoder: inout MLSDecoder) throws { rawValue = try decoder.readUInt16() }

    public var description: String {
        switch rawValue {
        case 1: "mls_public_message"
        case 2: "mls_private_message"
        case 3: "mls_welcome"
        case 4: "mls_group_info"
        case 5: "mls_key_package"
        default: "WireFormat(\(rawValue))"
        }
    }
}
