import TacitMLS

/// welcome.json: a Welcome opens for its KeyPackage, and its GroupInfo's signature and
/// confirmation tag verify (RFC 9420, Section 12.4.3.1).
public enum WelcomeVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public let cipher_suite: UInt16
        public let init_priv, signer_pub, key_package, welcome: VectorHex
    }

    public static let kind = MLSVectorKind.welcome

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        guard case .keyPackage(let keyPackage) = try decodeExactly(MLSMessage.self, entry.key_package.bytes, "key_package").body else {
            throw MLSVectorMismatch("key_package is not a KeyPackage")
        }
        try context.checkLifetime(of: keyPackage, "key_package")
        guard case .welcome(let welcome) = try decodeExactly(MLSMessage.self, entry.welcome.bytes, "welcome").body else {
            throw MLSVectorMismatch("welcome is not a Welcome")
        }
        let decrypted = try step("decrypting the Welcome with init_priv") {
            try welcome.decrypt(for: keyPackage, initPrivateKey: entry.init_priv.bytes)
        }
        let info = decrypted.groupInfo
        try expect(info.verifySignature(suite: suite, signatureKey: entry.signer_pub.bytes),
                   "the GroupInfo's signature does not verify with signer_pub")
        let secrets = try step("key schedule from the Welcome's joiner_secret") {
            try EpochSecrets(suite: suite, joinerSecret: decrypted.groupSecrets.joinerSecret, pskSecret: decrypted.pskSecret,
                             groupContext: info.groupContext)
        }
        try expect(ConfirmationTag.verify(info.confirmationTag, suite: suite, confirmationKey: secrets.confirmationKey,
                                          confirmedTranscriptHash: info.groupContext.confirmedTranscriptHash),
                   "the GroupInfo's confirmation tag does not verify")
        // Opening must depend on the key: another init key cannot open the group secrets.
        let otherKey = suite.generateHPKEKeyPair().privateKey
        try expectRefused("the Welcome opened with another init key") {
            _ = try welcome.decrypt(for: keyPackage, initPrivateKey: otherKey)
        }
    }
}
