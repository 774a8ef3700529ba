/// The message that lets new members join after a Commit (RFC 9420, Section 12.4.3.1).
///
/// ```
/// struct {
///   CipherSuite cipher_suite;
///   EncryptedGroupSecrets secrets<V>;
///   opaque encrypted_group_info<V>;
/// } Welcome;
/// ```
public struct Welcome: Hashable, Sendable, MLSCodable {
    /// The cipher suite.
    public var cipherSuite: CipherSuiteID
    /// One entry per new member.
    public var secrets: [EncryptedGroupSecrets]
    /// The GroupInfo, AEAD-encrypted under keys derived from the welcome secret.
    public var encryptedGroupInfo: [UInt8]

    /// Creates a value from its fields.
    public init(cipherSuite: CipherSuiteID, secrets: [EncryptedGroupSecrets], encryptedGroupInfo: [UInt8]) {
        self.cipherSuite = cipherSuite
        self.secrets = secrets
        self.encryptedGroupInfo = encryptedGroupInfo
    }

    /// The entry for the KeyPackage `reference`, if any.
    public func secrets(for reference: KeyPackageRef) -> EncryptedGroupSecrets? {
        secrets.first { $0.newMember == reference }
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(cipherSuite)
        encoder.writeVector(secrets)
        encoder.writeOpaque(encryptedGroupInfo)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        cipherSuite = try decoder.read()
        secrets = try decoder.readVector()
        encryptedGroupInfo = try decoder.readOpaque()
    }
}
