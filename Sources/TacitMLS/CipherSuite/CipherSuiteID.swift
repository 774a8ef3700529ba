/// The two-byte identifier of an MLS cipher suite (RFC 9420, Section 5.1 and 17.1).
///
/// Unknown values decode fine (a peer may list suites we do not implement); use
/// ``CipherSuiteRegistry/suite(for:)`` to get an implementation, which throws for unknown ones.
public struct CipherSuiteID: RawRepresentable, Hashable, Sendable, MLSCodable, CustomStringConvertible {
    /// The registered value.
    public var rawValue: UInt16

    /// Wraps a registered value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519`.
    public static let mls128X25519AES128GCMSHA256Ed25519 = CipherSuiteID(rawValue: 0x0001)
    /// `MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519`.
    public static let mls128X25519ChaCha20Poly1305SHA256Ed25519 = CipherSuiteID(rawValue: 0x0003)

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }

    public init(from decoder: inout MLSDecoder) throws { rawValue = try decoder.readUInt16() }

    public var description: String { "CipherSuiteID(0x\(String(rawValue, radix: 16)))" }
}
