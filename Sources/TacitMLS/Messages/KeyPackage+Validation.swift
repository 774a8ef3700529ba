extension KeyPackage {
    /// Validates the package for a group using `version` and `suite` (Section 10.1): matching
    /// version and suite, a valid `key_package` leaf node (Section 7.3), a valid signature,
    /// distinct init and encryption keys, and no repeated extension type.
    ///
    /// Group-wide checks (unique keys, credential support by the members) are the caller's.
    public func validate(
        suite: any CipherSuite,
        version expectedVersion: ProtocolVersion = .mls10,
        requiredCapabilities: RequiredCapabilitiesExtension? = nil,
        currentTime: UInt64? = nil
    ) throws(KeyPackageValidationError) {
        guard version == expectedVersion else { throw .versionMismatch(version) }
        guard cipherSuite == suite.id else { throw .cipherSuiteMismatch(cipherSuite) }
        do {
            try leafNode.validate(suite: suite, group: nil, expectedSource: .keyPackage,
                                  requiredCapabilities: requiredCapabilities, currentTime: currentTime)
        } catch {
            throw .invalidLeafNode(error)
        }
        guard verifySignature(suite: suite) else { throw .invalidSignature }
        guard initKey != leafNode.encryptionKey else { throw .initKeyEqualsEncryptionKey }
        var seen: Set<ExtensionType> = []
        for ext in extensions where !seen.insert(ext.type).inserted { throw .duplicateExtension(ext.type) }
    }
}
