/// The protocol features a client supports (RFC 9420, Section 7.2).
///
/// ```
/// struct {
///     ProtocolVersion versions<V>;
///     CipherSuite cipher_suites<V>;
///     ExtensionType extensions<V>;
///     ProposalType proposals<V>;
///     CredentialType credentials<V>;
/// } Capabilities;
/// ```
///
/// Default proposal and extension types are implied and not listed. Unknown values are kept
/// (and ignored by the checks below), so GREASE entries round-trip.
public struct Capabilities: Hashable, Sendable, MLSCodable {
    /// Supported protocol versions.
    public var versions: [ProtocolVersion]
    /// Supported cipher suites.
    public var cipherSuites: [CipherSuiteID]
    /// Supported non-default extension types.
    public var extensions: [ExtensionType]
    /// Supported non-default proposal types.
    public var proposals: [ProposalType]
    /// Supported credential types (all of them; there are no defaults).
    public var credentials: [CredentialType]

    /// Creates a capabilities list.
    public init(
        versions: [ProtocolVersion] = [.mls10],
        cipherSuites: [CipherSuiteID],
        extensions: [ExtensionType] = [],
        proposals: [ProposalType] = [],
        credentials: [CredentialType] = [.basic]
    ) {
        self.versions = versions
        self.cipherSuites = cipherSuites
        self.extensions = extensions
        self.proposals = proposals
        self.credentials = credentials
    }

    /// Whether an extension type is supported, counting the default ones.
    public func supports(_ type: ExtensionType) -> Bool {
        ExtensionType.defaults.contains(type) || extensions.contains(type)
    }

    /// Whether a proposal type is supported, counting the default ones.
    public func supports(_ type: ProposalType) -> Bool {
        ProposalType.defaults.contains(type) || proposals.contains(type)
    }

    /// Whether a credential type is supported (there are no default credential types).
    public func supports(_ type: CredentialType) -> Bool { credentials.contains(type) }

    /// Whether every requirement of a `required_capabilities` extension is met.
    public func satisfies(_ required: RequiredCapabilitiesExtension) -> Bool {
        required.extensionTypes.allSatisfy(supports(_:) as (ExtensionType) -> Bool)
            && required.proposalTypes.allSatisfy(supports(_:) as (ProposalType) -> Bool)
            && required.credentialTypes.allSatisfy(supports(_:) as (CredentialType) -> Bool)
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeVector(versions)
        encoder.writeVector(cipherSuites)
        encoder.writeVector(extensions)
        encoder.writeVector(proposals)
        encoder.writeVector(credentials)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        versions = try decoder.readVector()
        cipherSuites = try decoder.readVector()
        extensions = try decoder.readVector()
        proposals = try decoder.readVector()
        credentials = try decoder.readVector()
    }
}
