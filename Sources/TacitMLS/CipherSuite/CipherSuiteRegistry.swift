/// Maps cipher suite identifiers to implementations.
///
/// Group logic asks the registry for `any CipherSuite` and never names a concrete suite,
/// so adding a suite (for example a post-quantum one) means adding it here only.
public enum CipherSuiteRegistry {
    /// The suites this implementation supports, in order of preference.
    public static let supported: [any CipherSuite] = [
        X25519SHA256Ed25519Suite.aes128GCM,
        X25519SHA256Ed25519Suite.chaCha20Poly1305,
    ]

    /// The implementation of `id`, or ``CipherSuiteError/unsupportedCipherSuite(_:)``.
    public static func suite(for id: CipherSuiteID) throws -> any CipherSuite {
        guard let suite = supported.first(where: { $0.id == id }) else {
            throw CipherSuiteError.unsupportedCipherSuite(id)
        }
        return suite
    }
}

extension CipherSuiteID {
    /// The implementation of this suite; throws ``CipherSuiteError/unsupportedCipherSuite(_:)`` when unknown.
    public func suite() throws -> any CipherSuite { try CipherSuiteRegistry.suite(for: self) }
}
