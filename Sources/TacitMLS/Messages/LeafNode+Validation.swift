extension LeafNode {
    /// Checks the parts of Section 7.3 that concern this leaf alone: signature, source,
    /// credential and extension support, required capabilities and (optionally) lifetime.
    ///
    /// Group-wide checks (credential support by every member, unique keys) are done by
    /// ``RatchetTree/validate(suite:groupID:requiredCapabilities:currentTime:)`` and by group logic.
    ///
    /// - Parameters:
    ///   - group: The group binding for `update`/`commit` leaves; ignored for `key_package` ones.
    ///   - expectedSource: The source this context requires, or `nil` to accept any.
    ///   - requiredCapabilities: The GroupContext's `required_capabilities`, if any.
    ///   - currentTime: Seconds since the epoch to check the lifetime against, or `nil` to skip.
    public func validate(
        suite: any CipherSuite,
        group: LeafNodeGroupBinding?,
        expectedSource: LeafNodeSource.Kind? = nil,
        requiredCapabilities: RequiredCapabilitiesExtension? = nil,
        currentTime: UInt64? = nil
    ) throws(LeafNodeValidationError) {
        if let expectedSource, source.kind != expectedSource {
            throw .unexpectedSource(expected: expectedSource, found: source.kind)
        }
        guard verifySignature(suite: suite, group: group) else { throw .invalidSignature }
        guard capabilities.supports(credential.type) else {
            throw .credentialTypeNotInCapabilities(credential.type)
        }
        var seen: Set<ExtensionType> = []
        for ext in extensions {
            guard seen.insert(ext.type).inserted else { throw .duplicateExtension(ext.type) }
            guard capabilities.supports(ext.type) else { throw .extensionNotInCapabilities(ext.type) }
        }
        if let requiredCapabilities, !capabilities.satisfies(requiredCapabilities) {
            throw .missingRequiredCapabilities
        }
        if let currentTime, let lifetime, !lifetime.contains(currentTime) {
            throw .outsideLifetime
        }
    }
}
