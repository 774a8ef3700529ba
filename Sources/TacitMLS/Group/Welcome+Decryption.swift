/// The secrets and GroupInfo a Welcome carries for one new member.
public struct DecryptedWelcome: Hashable, Sendable {
    /// The member's GroupSecrets.
    public var groupSecrets: GroupSecrets
    /// The combined PSK secret of ``GroupSecrets/psks``, or `nil` for none.
    public var pskSecret: [UInt8]?
    /// The decrypted GroupInfo; its signature is not yet verified.
    public var groupInfo: GroupInfo
}

extension Welcome {
    /// Decrypts the GroupSecrets for `keyPackage` with its init private key, looks up the PSKs
    /// they name, and decrypts the GroupInfo (RFC 9420, Section 12.4.3.1, first steps).
    ///
    /// The GroupInfo's signature and confirmation tag are checked by ``MLSGroup/join(welcome:keyPackage:ratchetTree:configuration:)``.
    public func decrypt(for keyPackage: KeyPackage, initPrivateKey: [UInt8],
                        preSharedKeys: any PreSharedKeyStore = InMemoryPreSharedKeyStore()) throws(MLSGroupError) -> DecryptedWelcome {
        try withGroupErrors {
            guard keyPackage.cipherSuite == cipherSuite else { throw MLSGroupError.cipherSuiteMismatch }
            let suite = try cipherSuite.suite()
            guard let entry = secrets(for: keyPackage.reference(suite: suite)) else { throw MLSGroupError.welcomeNotForKeyPackage }
            let plaintext = try suite.decryptWithLabel(privateKey: initPrivateKey, label: "Welcome", context: encryptedGroupInfo,
                                                       ciphertext: entry.encryptedGroupSecrets)
            let groupSecrets = try GroupSecrets(mlsEncoded: plaintext)
            // At most one reinit or branch PSK (Section 12.4.3.1).
            let special = groupSecrets.psks.filter { id in
                if case .resumption(let usage, _, _) = id.kind { return usage != .application }
                return false
            }
            guard special.count <= 1 else { throw MLSGroupError.invalidProposal(.preSharedKeyUsageNotAllowed) }
            let pskSecret = try MLSGroup.pskSecret(for: groupSecrets.psks, suite: suite, store: preSharedKeys)
            let welcomeSecret = try EpochSecrets.welcomeSecret(suite: suite, joinerSecret: groupSecrets.joinerSecret,
                                                               pskSecret: pskSecret)
            let (key, nonce) = try EpochSecrets.welcomeKeyAndNonce(suite: suite, welcomeSecret: welcomeSecret)
            let groupInfo = try GroupInfo(mlsEncoded: suite.open(key: key, nonce: nonce, associatedData: [],
                                                                 ciphertext: encryptedGroupInfo))
            return DecryptedWelcome(groupSecrets: groupSecrets, pskSecret: pskSecret, groupInfo: groupInfo)
        }
    }
}
