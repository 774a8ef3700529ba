/// The private keys behind one KeyPackage (RFC 9420, Section 10): what its owner needs to join a
/// group from a Welcome that names the package. Delete them once used (Section 16.8).
///
/// `description` never shows a key.
public struct KeyPackageSecrets: Hashable, Sendable, SecretRedacting, MLSCodable {
    /// The private key of the package's `init_key`.
    public let initPrivateKey: [UInt8]
    /// The private key of the leaf node's `encryption_key`.
    public let encryptionPrivateKey: [UInt8]
    /// The private key of the leaf node's `signature_key`.
    public let signaturePrivateKey: [UInt8]

    /// Groups the three private keys.
    public init(initPrivateKey: [UInt8], encryptionPrivateKey: [UInt8], signaturePrivateKey: [UInt8]) {
        self.initPrivateKey = initPrivateKey
        self.encryptionPrivateKey = encryptionPrivateKey
        self.signaturePrivateKey = signaturePrivateKey
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(initPrivateKey)
        encoder.writeOpaque(encryptionPrivateKey)
        encoder.writeOpaque(signaturePrivateKey)
    }

    public init(from decoder: inout MLSDecoder) throws {
        initPrivateKey = try decoder.readOpaque()
        encryptionPrivateKey = try decoder.readOpaque()
        signaturePrivateKey = try decoder.readOpaque()
    }

    public var description: String { "KeyPackageSecrets(redacted)" }
}

/// A KeyPackage with its private keys, as its owner keeps it until a Welcome uses it.
public struct KeyPackageBundle: Hashable, Sendable, SecretRedacting, MLSCodable {
    /// The package to publish.
    public let keyPackage: KeyPackage
    /// Its private keys.
    public let secrets: KeyPackageSecrets

    /// Pairs a package with its private keys, checking that every private key matches its public key.
    public init(keyPackage: KeyPackage, secrets: KeyPackageSecrets) throws(MLSGroupError) {
        let suite = try withGroupErrors { try keyPackage.cipherSuite.suite() }
        let matches = try withGroupErrors {
            try suite.hpkePublicKey(privateKey: secrets.initPrivateKey) == keyPackage.initKey
                && suite.hpkePublicKey(privateKey: secrets.encryptionPrivateKey) == keyPackage.leafNode.encryptionKey
                && suite.signaturePublicKey(privateKey: secrets.signaturePrivateKey) == keyPackage.leafNode.signatureKey
        }
        guard matches else { throw .keyPackageSecretsMismatch }
        self.keyPackage = keyPackage
        self.secrets = secrets
    }

    private init(unchecked keyPackage: KeyPackage, secrets: KeyPackageSecrets) {
        self.keyPackage = keyPackage
        self.secrets = secrets
    }

    /// Creates a KeyPackage with fresh init and encryption keys.
    ///
    /// - Parameters:
    ///   - lifetime: The leaf's validity; by default from one hour before `clock.now` to 90 days after.
    ///   - capabilities: By default ``Capabilities/tacitDefault(credentialType:)``. Non-default
    ///     leaf extension types are added to it automatically.
    public static func create(
        suite suiteID: CipherSuiteID,
        identity: MLSSigningIdentity,
        lifetime: Lifetime? = nil,
        capabilities: Capabilities? = nil,
        leafExtensions: [Extension] = [],
        extensions: [Extension] = [],
        clock: any MLSClock = SystemMLSClock()
    ) throws(MLSGroupError) -> KeyPackageBundle {
        try withGroupErrors {
            let suite = try suiteID.suite()
            let initKeys = suite.generateHPKEKeyPair()
            let encryptionKeys = suite.generateHPKEKeyPair()
            let now = clock.now
            let validity = lifetime ?? Lifetime(notBefore: now > 3600 ? now - 3600 : 0, notAfter: now &+ 90 * 24 * 3600)
            var leafCapabilities = capabilities ?? .tacitDefault(credentialType: identity.credential.type)
            for ext in leafExtensions where !leafCapabilities.supports(ext.type) {
                leafCapabilities.extensions.append(ext.type)
            }
            var leaf = LeafNode(encryptionKey: encryptionKeys.publicKey, signatureKey: identity.signatureKeyPair.publicKey,
                                credential: identity.credential, capabilities: leafCapabilities,
                                source: .keyPackage(validity), extensions: leafExtensions)
            let signingKey = try suite.preparedSigningKey(privateKey: identity.signatureKeyPair.privateKey)
            try leaf.sign(suite: suite, signingKey: signingKey, group: nil)
            var package = KeyPackage(cipherSuite: suiteID, initKey: initKeys.publicKey, leafNode: leaf, extensions: extensions)
            try package.sign(suite: suite, signingKey: signingKey)
            let secrets = KeyPackageSecrets(initPrivateKey: initKeys.privateKey, encryptionPrivateKey: encryptionKeys.privateKey,
                                            signaturePrivateKey: identity.signatureKeyPair.privateKey)
            return KeyPackageBundle(unchecked: package, secrets: secrets)
        }
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(keyPackage)
        encoder.write(secrets)
    }

    public init(from decoder: inout MLSDecoder) throws {
        keyPackage = try decoder.read()
        secrets = try decoder.read()
    }

    public var description: String { "KeyPackageBundle(\(keyPackage.cipherSuite), secrets: redacted)" }
}
