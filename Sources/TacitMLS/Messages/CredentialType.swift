/// An MLS credential type identifier (RFC 9420, Section 5.3 and Section 17.5).
///
/// Open-valued, because capabilities may list types this implementation does not know.
public struct CredentialType: RawRepresentable, Hashable, Sendable, MLSCodable, CustomStringConvertible {
    public var rawValue: UInt16

    /// Creates a value from its fields.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// A bare identity asserted by the application.
    public static let basic = CredentialType(rawValue: 0x0001)
    /// A chain of DER-encoded X.509 certificates.
    public static let x509 = CredentialType(rawValue: 0x0002)

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { rawValue = try decoder.readUInt16() }

    public var description: String { "CredentialType(0x\(String(rawValue, radix: 16)))" }
}
