/// A set of proposals to apply, with an optional path update, that starts a new epoch
/// (RFC 9420, Section 12.4).
///
/// ```
/// struct {
///     ProposalOrRef proposals<V>;
///     optional<UpdatePath> path;
/// } Commit;
/// ```
public struct Commit: Hashable, Sendable, MLSCodable {
    /// The covered proposals, in application order.
    public var proposals: [ProposalOrRef]
    /// The committer's path update, when present.
    public var path: UpdatePath?

    /// Creates a value from its fields.
    public init(proposals: [ProposalOrRef] = [], path: UpdatePath? = nil) {
        self.proposals = proposals
        self.path = path
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeVector(proposals)
        encoder.writeOptional(path)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        proposals = try decoder.readVector()
        path = try decoder.readOptional()
    }
}
