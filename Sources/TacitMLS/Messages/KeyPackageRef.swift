/// `KeyPackageRef`: the `RefHash` of an encoded KeyPackage (RFC 9420, Section 5.2).
///
/// Encoded as `opaque HashReference<V>`; see ``KeyPackage/reference(suite:)``.
public struct KeyPackageRef: Hashable, Sendable, MLSCodable, CustomStringConvertible {
    /// The hash output.
    public var bytes: [UInt8]

    /// Creates a value from its fields.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public func encode(to encoder: inout MLSEncoder) { encoder.writeOpaque(bytes) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { bytes = try decoder.readOpaque() }

    public var description: String {
        "KeyPackageRef(" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + ")"
    }
}
