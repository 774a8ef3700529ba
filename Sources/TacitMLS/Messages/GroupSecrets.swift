/// The secrets a new member needs to join, encrypted to its KeyPackage's `init_key`
/// (RFC 9420, Section 12.4.3.1).
///
/// ```
/// struct {
///   opaque joiner_secret<V>;
///   optional<PathSecret> path_secret;
///   PreSharedKeyID psks<V>;
/// } GroupSecrets;
/// ```
public struct GroupSecrets: Hashable, Sendable, MLSCodable, CustomStringConvertible {
    /// The epoch's joiner secret.
    public var joinerSecret: [UInt8]
    /// The path secret of the common ancestor with the committer, if the Commit had a path.
    public var pathSecret: PathSecret?
    /// The PSKs of the new epoch, in the Commit's order.
    public var psks: [PreSharedKeyID]

    /// Creates a value from its fields.
    public init(joinerSecret: [UInt8], pathSecret: PathSecret? = nil, psks: [PreSharedKeyID] = []) {
        self.joinerSecret = joinerSecret
        self.pathSecret = pathSecret
        self.psks = psks
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(joinerSecret)
        encoder.writeOptional(pathSecret)
        encoder.writeVector(psks)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        joinerSecret = try decoder.readOpaque()
        pathSecret = try decoder.readOptional()
        psks = try decoder.readVector()
    }

    public var description: String { "GroupSecrets(redacted, \(psks.count) PSKs)" }
}
