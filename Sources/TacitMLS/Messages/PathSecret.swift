/// A path secret sent to a new member in its GroupSecrets (RFC 9420, Section 12.4.3.1).
///
/// ```
/// struct { opaque path_secret<V>; } PathSecret;
/// ```
public struct PathSecret: Hashable, Sendable, MLSCodable, CustomStringConvertible {
    /// The secret of the lowest node shared by the committer's and new member's direct paths.
    public var secret: [UInt8]

    /// Creates a value from its fields.
    public init(secret: [UInt8]) { self.secret = secret }

    public func encode(to encoder: inout MLSEncoder) { encoder.writeOpaque(secret) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { secret = try decoder.readOpaque() }

    public var description: String { "PathSecret(\(secret.count) bytes, redacted)" }
}
