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
            let (suite, groupSecrets) = try openGroupSecrets(for: keyPackage, initPrivateKey: initPrivateKey)
            let pskSecret = try MLSGroup.pskSecret(for: groupSecrets.psks, suite: suite, store: preSharedKeys)
            return try decrypted(groupSecrets: groupSecrets, pskSecret: pskSecret, suite: suite)
        }
    }

    /// The GroupSecrets for `keyPackage`, and the Welcome's suite. A joiner checks the PSKs they
    /// name before looking them up (a reinitialized group's joiner checks which group they name).
    func openGroupSecrets(for keyPackage: KeyPackage, initPrivateKey: [UInt8]) throws -> (suite: any CipherSuite, groupSecrets: GroupSecrets) {
        guard keyPackage.cipherSuite == cipherSuite else { throw MLSGroupError.cipherSuiteMismatch }
        let suite = try cipherSuite.suite()
        guard let entry = secrets(for: keyPackage.reference(suite: suite)) else { throw MLSGroupError.welcomeNotForKeyPackage }
        let plaintext = try suite.decryptWithLabel(privateKey: initPrivateKey, label: "Welcome", context: encryptedGroupInfo,
                                                   ciphertext: entry.encryptedGroupSecrets)
        let groupSecrets = try GroupSecrets(mlsEncoded: plaintext)
        // At most one reinit or branch PSK (Section 12.4.3.1).
        guard groupSecrets.psks.filter(\.isReInitOrBranch).count <= 1 else {
            throw MLSGroupError.invalidProposal(.preSharedKeyUsageNotAllowed)
        }
        return (suite, groupSecrets)
    }

    /// Decrypts the GroupInfo with the keys `groupSecrets` and `pskSecret` give.
    func decrypted(groupSecrets: GroupSecrets, pskSecret: [UInt8]?, suite: any CipherSuite) throws -> DecryptedWelcome {
        let welcomeSecret = try EpochSecrets.welcomeSecret(suite: suite, joinerSecret: groupSecrets.joinerSecret,
                                                           pskSecret: pskSecret)
        let (key, nonce) = try EpochSecrets.welcomeKeyAndNonce(suite: suite, welcomeSecret: welcomeSecret)
        let groupInfo = try GroupInfo(mlsEncoded: suite.open(key: key, nonce: nonce, associatedData: [],
                                                             ciphertext: encryptedGroupInfo))
        return DecryptedWelcome(groupSecrets: groupSecrets, pskSecret: pskSecret, groupInfo: groupInfo)
    }
}

extension PreSharedKeyID {
    /// Whether this is a resumption PSK with usage `reinit` or `branch`, which only starts a new group.
    var isReInitOrBranch: Bool {
        if case .resumption(let usage, _, _) = kind { return usage != .application }
        return false
    }

    /// Whether this is a resumption PSK with usage `reinit`.
    var isReInit: Bool {
        if case .resumption(.reinit, _, _) = kind { return true }
        return false
    }
}
