/// A request to add the client of a KeyPackage to the group (RFC 9420, Section 12.1.1).
///
/// ```
/// struct { KeyPackage key_package; } Add;
/// ```
public struct AddProposal: Hashable, Sendable, MLSCodable {
    /// The new member's KeyPackage.
    public var keyPackage: KeyPackage

    /// Creates a value from its fields.
    public init(keyPackage: KeyPackage) { self.keyPackage = keyPackage }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(keyPackage) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { keyPackage = try decoder.read() }
}
