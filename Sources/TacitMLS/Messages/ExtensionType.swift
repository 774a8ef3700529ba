/// An MLS extension type identifier (RFC 9420, Section 13.2 and Section 17.3).
///
/// The registry is open: unknown values decode and re-encode unchanged, because extensions
/// the client does not understand must be carried (and, in capabilities, ignored).
public struct ExtensionType: RawRepresentable, Hashable, Sendable, MLSCodable, CustomStringConvertible {
    public var rawValue: UInt16

    /// Creates a value from its fields.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `application_id` (LeafNode).
    public static let applicationID = ExtensionType(rawValue: 0x0001)
    /// `ratchet_tree` (GroupInfo).
    public static let ratchetTree = ExtensionType(rawValue: 0x0002)
    /// `required_capabilities` (GroupContext).
    public static let requiredCapabilities = ExtensionType(rawValue: 0x0003)
    /// `external_pub` (GroupInfo).
    public static let externalPub = ExtensionType(rawValue: 0x0004)
    /// `external_senders` (GroupContext).
    public static let externalSenders = ExtensionType(rawValue: 0x0005)

    /// Types every client supports; they must not be listed in `Capabilities.extensions` (Section 7.2).
    public static let defaults: Set<ExtensionType> = [
        .applicationID, .ratchetTree, .requiredCapabilities, .externalPub, .externalSenders,
    ]

    /// Whether this is one of the GREASE values `0x?A?A` (Section 13.5).
    public var isGREASE: Bool { rawValue & 0x0F0F == 0x0A0A }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { rawValue = try decoder.readUInt16() }

    public var description: String { "ExtensionType(0x\(String(rawValue, radix: 16)))" }
}
