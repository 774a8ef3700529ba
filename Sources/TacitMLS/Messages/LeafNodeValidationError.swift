/// Why a leaf node failed validation (RFC 9420, Section 7.3).
public enum LeafNodeValidationError: Error, Equatable, Sendable {
    /// The signature does not verify under the leaf's `signature_key`.
    case invalidSignature
    /// The `leaf_node_source` is not the one this context requires.
    case unexpectedSource(expected: LeafNodeSource.Kind, found: LeafNodeSource.Kind)
    /// The leaf's own credential type is not listed in its capabilities.
    case credentialTypeNotInCapabilities(CredentialType)
    /// A non-default extension of the leaf is not listed in its capabilities.
    case extensionNotInCapabilities(ExtensionType)
    /// The leaf does not support everything the group's `required_capabilities` lists.
    case missingRequiredCapabilities
    /// The current time is outside the leaf's lifetime.
    case outsideLifetime
    /// The leaf lists the same extension type twice.
    case duplicateExtension(ExtensionType)
}
