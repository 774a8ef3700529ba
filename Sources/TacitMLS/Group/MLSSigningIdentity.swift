/// A client's credential and the signature key pair it binds: what a client needs to create a
/// group, publish KeyPackages or join by external Commit.
///
/// `description` never shows the private key.
public struct MLSSigningIdentity: Hashable, Sendable, SecretRedacting {
    /// The credential presented in the client's leaf nodes.
    public var credential: Credential
    /// The signature key pair; its public key is the leaves' `signature_key`.
    public var signatureKeyPair: SignatureKeyPair

    /// Pairs a credential with a signature key pair.
    public init(credential: Credential, signatureKeyPair: SignatureKeyPair) {
        self.credential = credential
        self.signatureKeyPair = signatureKeyPair
    }

    /// A fresh signature key pair of `suite` for `credential`.
    public static func generate(credential: Credential, suite: CipherSuiteID) throws(MLSGroupError) -> MLSSigningIdentity {
        let implementation = try withGroupErrors { try suite.suite() }
        return MLSSigningIdentity(credential: credential, signatureKeyPair: implementation.generateSignatureKeyPair())
    }

    public var description: String { "MLSSigningIdentity(credential: \(credential.type), privateKey: redacted)" }
}

extension Capabilities {
    /// The capabilities this implementation advertises by default: MLS 1.0, every registered
    /// cipher suite, and the basic credential plus `credentialType`.
    public static func tacitDefault(credentialType: CredentialType = .basic) -> Capabilities {
        var credentials: [CredentialType] = [.basic]
        if credentialType != .basic { credentials.append(credentialType) }
        return Capabilities(versions: [.mls10], cipherSuites: CipherSuiteRegistry.supported.map(\.id),
                            credentials: credentials)
    }
}
