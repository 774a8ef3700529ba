/// The validity window of a KeyPackage's leaf node, in seconds since the Unix epoch (RFC 9420, Section 7.2).
///
/// ```
/// struct { uint64 not_before; uint64 not_after; } Lifetime;
/// ```
public struct Lifetime: Hashable, Sendable, MLSCodable {
    /// The first second at which the leaf node is valid.
    public var notBefore: UInt64
    /// The last second at which the leaf node is valid.
    public var notAfter: UInt64

    /// Creates a lifetime from its bounds.
    public init(notBefore: UInt64, notAfter: UInt64) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Whether `time` (seconds since the epoch) lies inside the window, bounds included.
    public func contains(_ time: UInt64) -> Bool { notBefore <= time && time <= notAfter }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(notBefore)
        encoder.write(notAfter)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        notBefore = try decoder.readUInt64()
        notAfter = try decoder.readUInt64()
    }
}
