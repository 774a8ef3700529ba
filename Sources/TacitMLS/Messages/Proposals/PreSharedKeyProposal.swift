/// A request to inject a pre-shared key into the next epoch's key schedule (RFC 9420, Section 12.1.4).
///
/// ```
/// struct { PreSharedKeyID psk; } PreSharedKey;
/// ```
public struct PreSharedKeyProposal: Hashable, Sendable, MLSCodable {
    /// The PSK to inject.
    public var psk: PreSharedKeyID

    /// Creates a value from its fields.
    public init(psk: PreSharedKeyID) { self.psk = psk }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(psk) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { psk = try decoder.read() }
}
