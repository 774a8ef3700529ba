/// GroupSecrets encrypted to one new member (RFC 9420, Section 12.4.3.1).
///
/// ```
/// struct {
///   KeyPackageRef new_member;
///   HPKECiphertext encrypted_group_secrets;
/// } EncryptedGroupSecrets;
/// ```
public struct EncryptedGroupSecrets: Hashable, Sendable, MLSCodable {
    /// The reference of the KeyPackage whose `init_key` was used.
    public var newMember: KeyPackageRef
    /// `EncryptWithLabel(init_key, "Welcome", encrypted_group_info, GroupSecrets)`.
    public var encryptedGroupSecrets: HPKECiphertext

    /// Creates a value from its fields.
    public init(newMember: KeyPackageRef, encryptedGroupSecrets: HPKECiphertext) {
        self.newMember = newMember
        self.encryptedGroupSecrets = encryptedGroupSecrets
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(newMember)
        encoder.write(encryptedGroupSecrets)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        newMember = try decoder.read()
        encryptedGroupSecrets = try decoder.read()
    }
}
