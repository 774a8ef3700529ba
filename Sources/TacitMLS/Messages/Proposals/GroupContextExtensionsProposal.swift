/// A request to replace the GroupContext's extensions wholesale (RFC 9420, Section 12.1.7).
///
/// ```
/// struct { Extension extensions<V>; } GroupContextExtensions;
/// ```
public struct GroupContextExtensionsProposal: Hashable, Sendable, MLSCodable {
    /// The complete new extension list.
    public var extensions: [Extension]

    /// Creates a value from its fields.
    public init(extensions: [Extension]) { self.extensions = extensions }

    public func encode(to encoder: inout MLSEncoder) { encoder.writeVector(extensions) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { extensions = try decoder.readVector() }
}
