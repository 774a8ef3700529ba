/// The KEM output of an external joiner, from which members derive the new `init_secret`
/// (RFC 9420, Section 12.1.6).
///
/// ```
/// struct { opaque kem_output<V>; } ExternalInit;
/// ```
public struct ExternalInitProposal: Hashable, Sendable, MLSCodable {
    /// The HPKE encapsulation to the group's `external_pub`.
    public var kemOutput: [UInt8]

    /// Creates a value from its fields.
    public init(kemOutput: [UInt8]) { self.kemOutput = kemOutput }

    public func encode(to encoder: inout MLSEncoder) { encoder.writeOpaque(kemOutput) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { kemOutput = try decoder.readOpaque() }
}
