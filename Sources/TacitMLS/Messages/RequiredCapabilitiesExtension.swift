/// The `required_capabilities` group context extension (RFC 9420, Section 11.1).
///
/// ```
/// struct {
///     ExtensionType extension_types<V>;
///     ProposalType proposal_types<V>;
///     CredentialType credential_types<V>;
/// } RequiredCapabilities;
/// ```
public struct RequiredCapabilitiesExtension: ExtensionPayload, Hashable, Sendable {
    /// The extension type this payload is carried under.
    public static var extensionType: ExtensionType { .requiredCapabilities }

    /// Extension types every member must support.
    public var extensionTypes: [ExtensionType]
    /// Proposal types every member must support.
    public var proposalTypes: [ProposalType]
    /// Credential types every member must support.
    public var credentialTypes: [CredentialType]

    /// Creates a value from its fields.
    public init(extensionTypes: [ExtensionType] = [], proposalTypes: [ProposalType] = [],
                credentialTypes: [CredentialType] = []) {
        self.extensionTypes = extensionTypes
        self.proposalTypes = proposalTypes
        self.credentialTypes = credentialTypes
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeVector(extensionTypes)
        encoder.writeVector(proposalTypes)
        encoder.writeVector(credentialTypes)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        extensionTypes = try decoder.readVector()
        proposalTypes = try decoder.readVector()
        credentialTypes = try decoder.readVector()
    }
}
