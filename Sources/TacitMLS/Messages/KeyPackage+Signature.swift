extension KeyPackage {
    /// The label of key package signatures.
    public static let signatureLabel = "KeyPackageTBS"

    /// Replaces ``signature`` with a signature by `privateKey` (the leaf's signature key).
    public mutating func sign(suite: any CipherSuite, privateKey: [UInt8]) throws {
        try sign(suite: suite, signingKey: suite.preparedSigningKey(privateKey: privateKey))
    }

    /// Replaces ``signature`` with a signature by a prepared key.
    public mutating func sign(suite: any CipherSuite, signingKey: any PreparedSigningKey) throws {
        signature = try suite.signWithLabel(key: signingKey, label: Self.signatureLabel, content: toBeSigned)
    }

    /// Whether ``signature`` verifies under `leafNode.signatureKey`.
    public func verifySignature(suite: any CipherSuite) -> Bool {
        suite.verifyWithLabel(publicKey: leafNode.signatureKey, label: Self.signatureLabel,
                              content: toBeSigned, signature: signature)
    }

    /// `MakeKeyPackageRef` over this package's encoding (Section 5.2).
    public func reference(suite: any CipherSuite) -> KeyPackageRef {
        KeyPackageRef(bytes: suite.makeKeyPackageRef(mlsEncoded))
    }
}
