/// A party outside the group allowed to send proposals (RFC 9420, Section 12.1.8.1).
///
/// ```
/// struct {
///   SignaturePublicKey signature_key;
///   Credential credential;
/// } ExternalSender;
/// ```
public struct ExternalSender: Hashable, Sendable, MLSCodable {
    /// The key that verifies the sender's proposals.
    public var signatureKey: SignaturePublicKey
    /// The sender's credential.
    public var credential: Credential

    /// Creates a value from its fields.
    public init(signatureKey: SignaturePublicKey, credential: Credential) {
        self.signatureKey = signatureKey
        self.credential = credential
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(signatureKey)
        encoder.write(credential)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        signatureKey = try decoder.readOpaque()
        credential = try decoder.read()
    }
}
