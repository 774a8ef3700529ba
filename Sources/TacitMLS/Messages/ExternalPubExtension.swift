/// The `external_pub` GroupInfo extension: the key external joiners encrypt to (RFC 9420, Section 12.4.3.2).
///
/// ```
/// struct { HPKEPublicKey external_pub; } ExternalPub;
/// ```
public struct ExternalPubExtension: ExtensionPayload, Hashable, Sendable {
    /// The extension type this payload is carried under.
    public static var extensionType: ExtensionType { .externalPub }

    /// The group's external HPKE public key for the current epoch.
    public var externalPub: HPKEPublicKey

    /// Creates a value from its fields.
    public init(externalPub: HPKEPublicKey) { self.externalPub = externalPub }

    public func encode(to encoder: inout MLSEncoder) { encoder.writeOpaque(externalPub) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { externalPub = try decoder.readOpaque() }
}
