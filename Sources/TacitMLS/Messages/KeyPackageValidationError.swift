/// Why a KeyPackage failed validation (RFC 9420, Section 10.1).
public enum KeyPackageValidationError: Error, Equatable, Sendable {
    /// The package's protocol version is not the group's.
    case versionMismatch(ProtocolVersion)
    /// The package's cipher suite is not the group's.
    case cipherSuiteMismatch(CipherSuiteID)
    /// The package signature does not verify under `leaf_node.signature_key`.
    case invalidSignature
    /// `init_key` equals `leaf_node.encryption_key`.
    case initKeyEqualsEncryptionKey
    /// The package lists the same extension type twice.
    case duplicateExtension(ExtensionType)
    /// The leaf node is invalid for a KeyPackage.
    case invalidLeafNode(LeafNodeValidationError)
}
