/// The `application_id` leaf node extension: an application-chosen identifier for the client (RFC 9420, Section 5.3.3).
///
/// ```
/// opaque application_id<V>;
/// ```
public struct ApplicationIDExtension: ExtensionPayload, Hashable, Sendable {
    /// The extension type this payload is carried under.
    public static var extensionType: ExtensionType { .applicationID }

    /// The identifier bytes.
    public var applicationID: [UInt8]

    /// Creates a value from its fields.
    public init(applicationID: [UInt8]) { self.applicationID = applicationID }

    public func encode(to encoder: inout MLSEncoder) { encoder.writeOpaque(applicationID) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { applicationID = try decoder.readOpaque() }
}
