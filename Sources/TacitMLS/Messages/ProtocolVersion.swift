/// An MLS protocol version (RFC 9420, Section 6 and Section 17.6).
///
/// Open-valued: capabilities may list versions this implementation does not know.
public struct ProtocolVersion: RawRepresentable, Hashable, Comparable, Sendable, MLSCodable, CustomStringConvertible {
    public var rawValue: UInt16

    /// Creates a value from its fields.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `mls10`, the version defined by RFC 9420.
    public static let mls10 = ProtocolVersion(rawValue: 1)

    public static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { rawValue = try decoder.readUInt16() }

    public var description: String { rawValue == 1 ? "mls10" : "ProtocolVersion(\(rawValue))" }
}
