/// A request to remove the member at a leaf (RFC 9420, Section 12.1.3).
///
/// ```
/// struct { uint32 removed; } Remove;
/// ```
public struct RemoveProposal: Hashable, Sendable, MLSCodable {
    /// The leaf to blank.
    public var removed: LeafIndex

    /// Creates a value from its fields.
    public init(removed: LeafIndex) { self.removed = removed }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(removed) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { removed = try decoder.read() }
}
