/// An HPKE ciphertext as MLS carries it (RFC 9420, Section 5.1.3).
///
/// ```
/// struct {
///     opaque kem_output<V>;
///     opaque ciphertext<V>;
/// } HPKECiphertext;
/// ```
public struct HPKECiphertext: Hashable, Sendable, MLSCodable {
    /// The KEM encapsulation (`enc`).
    public var kemOutput: [UInt8]
    /// The AEAD ciphertext including its tag.
    public var ciphertext: [UInt8]

    /// Creates a ciphertext from its two parts.
    public init(kemOutput: [UInt8], ciphertext: [UInt8]) {
        self.kemOutput = kemOutput
        self.ciphertext = ciphertext
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(kemOutput)
        encoder.writeOpaque(ciphertext)
    }

    public init(from decoder: inout MLSDecoder) throws {
        kemOutput = try decoder.readOpaque()
        ciphertext = try decoder.readOpaque()
    }
}
