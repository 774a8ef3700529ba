/// The MLS constructions over a suite's primitives (RFC 9420, Sections 5.1–5.2, 8).
extension CipherSuite {
    /// The prefix every MLS label carries ("MLS 1.0 ").
    static var labelPrefix: [UInt8] { Array("MLS 1.0 ".utf8) }

    /// `ExpandWithLabel(secret, label, context, length)` (Section 8).
    ///
    /// `KDF.Expand(secret, KDFLabel, length)` where
    /// `KDFLabel = struct { uint16 length; opaque label<V> = "MLS 1.0 " + label; opaque context<V>; }`.
    public func expandWithLabel(secret: [UInt8], label: String, context: [UInt8], length: Int) throws -> [UInt8] {
        guard (0...Int(UInt16.max)).contains(length) else { throw CipherSuiteError.invalidOutputLength(length) }
        var info = MLSEncoder()
        info.write(UInt16(length))
        info.writeOpaque(Self.labelPrefix + Array(label.utf8))
        info.writeOpaque(context)
        return try expand(pseudoRandomKey: secret, info: info.bytes, length: length)
    }

    /// `DeriveSecret(secret, label) = ExpandWithLabel(secret, label, "", Nh)` (Section 8).
    public func deriveSecret(secret: [UInt8], label: String) throws -> [UInt8] {
        try expandWithLabel(secret: secret, label: label, context: [], length: hashLength)
    }

    /// `DeriveTreeSecret(secret, label, generation, length)` (Section 9.1): the context is
    /// the generation as a big-endian `uint32`.
    public func deriveTreeSecret(secret: [UInt8], label: String, generation: UInt32, length: Int) throws -> [UInt8] {
        try expandWithLabel(secret: secret, label: label, context: generation.mlsEncoded, length: length)
    }

    /// `RefHash(label, value) = Hash(RefHashInput)` with
    /// `RefHashInput = struct { opaque label<V>; opaque value<V>; }` (Section 5.2).
    ///
    /// The label is used as given (no "MLS 1.0 " prefix is added).
    public func refHash(label: String, value: [UInt8]) -> [UInt8] {
        var input = MLSEncoder()
        input.writeOpaque(Array(label.utf8))
        input.writeOpaque(value)
        return hash(input.bytes)
    }

    /// `MakeKeyPackageRef(value) = RefHash("MLS 1.0 KeyPackage Reference", value)`, where
    /// `value` is the encoded `KeyPackage` (Section 5.2).
    public func makeKeyPackageRef(_ keyPackage: [UInt8]) -> [UInt8] {
        refHash(label: "MLS 1.0 KeyPackage Reference", value: keyPackage)
    }

    /// `MakeProposalRef(value) = RefHash("MLS 1.0 Proposal Reference", value)`, where
    /// `value` is the encoded `AuthenticatedContent` carrying the proposal (Section 5.2).
    public func makeProposalRef(_ authenticatedContent: [UInt8]) -> [UInt8] {
        refHash(label: "MLS 1.0 Proposal Reference", value: authenticatedContent)
    }

    /// The encoded `SignContent { opaque label<V> = "MLS 1.0 " + label; opaque content<V>; }`.
    static func signContent(label: String, content: [UInt8]) -> [UInt8] {
        var encoder = MLSEncoder(capacity: content.count + label.utf8.count + 16)
        encoder.writeOpaque(labelPrefix + Array(label.utf8))
        encoder.writeOpaque(content)
        return encoder.bytes
    }

    /// `SignWithLabel(signatureKey, label, content)` (Section 5.1.2).
    public func signWithLabel(privateKey: [UInt8], label: String, content: [UInt8]) throws -> [UInt8] {
        try sign(privateKey: privateKey, message: Self.signContent(label: label, content: content))
    }

    /// `SignWithLabel` with a prepared key.
    public func signWithLabel(key: any PreparedSigningKey, label: String, content: [UInt8]) throws -> [UInt8] {
        try key.sign(Self.signContent(label: label, content: content))
    }

    /// `VerifyWithLabel(verificationKey, label, content, signature)` (Section 5.1.2).
    public func verifyWithLabel(publicKey: [UInt8], label: String, content: [UInt8], signature: [UInt8]) -> Bool {
        verify(publicKey: publicKey, message: Self.signContent(label: label, content: content), signature: signature)
    }

    /// The encoded `EncryptContext { opaque label<V> = "MLS 1.0 " + label; opaque context<V>; }`.
    static func encryptContext(label: String, context: [UInt8]) -> [UInt8] {
        signContent(label: label, content: context)
    }

    /// `EncryptWithLabel(publicKey, label, context, plaintext)`: HPKE `SealBase` with the
    /// `EncryptContext` as `info` and empty `aad` (Section 5.1.3).
    public func encryptWithLabel(publicKey: [UInt8], label: String, context: [UInt8], plaintext: [UInt8]) throws -> HPKECiphertext {
        try hpkeSeal(publicKey: publicKey, info: Self.encryptContext(label: label, context: context),
                     associatedData: [], plaintext: plaintext)
    }

    /// `DecryptWithLabel(privateKey, label, context, kem_output, ciphertext)` (Section 5.1.3).
    public func decryptWithLabel(privateKey: [UInt8], label: String, context: [UInt8], ciphertext: HPKECiphertext) throws -> [UInt8] {
        try hpkeOpen(privateKey: privateKey, info: Self.encryptContext(label: label, context: context),
                     associatedData: [], ciphertext: ciphertext)
    }

    /// Constant-time comparison, for MAC tags.
    public func tagsEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}
