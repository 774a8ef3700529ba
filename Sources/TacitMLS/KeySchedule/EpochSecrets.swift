/// The secrets of one epoch, derived by the key schedule (RFC 9420, Section 8).
///
/// ```
/// init_secret_[n-1] ─Extract(commit_secret)─ ExpandWithLabel("joiner", GroupContext) = joiner_secret
/// joiner_secret ─Extract(psk_secret)─┬─ DeriveSecret("welcome") = welcome_secret
///                                    └─ ExpandWithLabel("epoch", GroupContext) = epoch_secret
/// epoch_secret ─ DeriveSecret(<label>) = sender_data, encryption, ..., init_secret_[n]
/// ```
///
/// Members that process a Commit use ``init(suite:initSecret:commitSecret:pskSecret:groupContext:)``;
/// joiners from a Welcome use ``init(suite:joinerSecret:pskSecret:groupContext:)``.
/// `description` never shows a secret.
public struct EpochSecrets: Sendable, SecretRedacting {
    /// The suite the secrets were derived with.
    public let suite: any CipherSuite
    /// `joiner_secret`, sent to new members in `GroupSecrets`.
    public let joinerSecret: [UInt8]
    /// `welcome_secret`, which protects the Welcome's `GroupInfo` (see ``welcomeKeyAndNonce()``).
    public let welcomeSecret: [UInt8]
    /// `sender_data_secret`: keys for `PrivateMessage` sender data.
    public let senderDataSecret: [UInt8]
    /// `encryption_secret`: the root of the secret tree.
    public let encryptionSecret: [UInt8]
    /// `exporter_secret`: input to ``exporter(label:context:length:)``.
    public let exporterSecret: [UInt8]
    /// `external_secret`: seed of the group's external HPKE key pair.
    public let externalSecret: [UInt8]
    /// `confirmation_key`: key of the Commit's `confirmation_tag`.
    public let confirmationKey: [UInt8]
    /// `membership_key`: key of a `PublicMessage`'s `membership_tag`.
    public let membershipKey: [UInt8]
    /// `resumption_psk`: this epoch's resumption PSK.
    public let resumptionPSK: [UInt8]
    /// `epoch_authenticator`: equal across members that share a view of the group.
    public let epochAuthenticator: [UInt8]
    /// `init_secret_[n]`: the next epoch's starting point.
    public let initSecret: [UInt8]

    /// Derives an epoch as a member does when processing a Commit.
    ///
    /// - Parameters:
    ///   - initSecret: The previous epoch's `init_secret` (or a fresh random one for a new group,
    ///     or the external init secret).
    ///   - commitSecret: The commit secret from the UpdatePath; `nil` means the all-zero vector.
    ///   - pskSecret: The combined PSK secret (``CipherSuite/pskSecret(_:)``); `nil` means all zeros.
    ///   - groupContext: The new epoch's GroupContext.
    public init(suite: any CipherSuite, initSecret: [UInt8], commitSecret: [UInt8]?, pskSecret: [UInt8]?,
                groupContext: GroupContext) throws {
        let zero = [UInt8](repeating: 0, count: suite.hashLength)
        let joiner = try suite.expandWithLabel(
            secret: suite.extract(salt: initSecret, inputKeyMaterial: commitSecret ?? zero),
            label: "joiner", context: groupContext.mlsEncoded, length: suite.hashLength)
        try self.init(suite: suite, joinerSecret: joiner, pskSecret: pskSecret, groupContext: groupContext)
    }

    /// Derives an epoch from a `joiner_secret`, as a new member does from a Welcome.
    public init(suite: any CipherSuite, joinerSecret: [UInt8], pskSecret: [UInt8]?, groupContext: GroupContext) throws {
        let zero = [UInt8](repeating: 0, count: suite.hashLength)
        let member = suite.extract(salt: joinerSecret, inputKeyMaterial: pskSecret ?? zero)
        let epochSecret = try suite.expandWithLabel(secret: member, label: "epoch",
                                                    context: groupContext.mlsEncoded, length: suite.hashLength)
        func derive(_ label: String) throws -> [UInt8] { try suite.deriveSecret(secret: epochSecret, label: label) }
        self.suite = suite
        self.joinerSecret = joinerSecret
        welcomeSecret = try suite.deriveSecret(secret: member, label: "welcome")
        senderDataSecret = try derive("sender data")
        encryptionSecret = try derive("encryption")
        exporterSecret = try derive("exporter")
        externalSecret = try derive("external")
        confirmationKey = try derive("confirm")
        membershipKey = try derive("membership")
        resumptionPSK = try derive("resumption")
        epochAuthenticator = try derive("authentication")
        initSecret = try derive("init")
    }

    /// `MLS-Exporter(label, context, length)` (Section 8.5).
    public func exporter(label: String, context: [UInt8], length: Int) throws -> [UInt8] {
        try suite.expandWithLabel(secret: suite.deriveSecret(secret: exporterSecret, label: label),
                                  label: "exported", context: suite.hash(context), length: length)
    }

    /// The group's external HPKE key pair, `KEM.DeriveKeyPair(external_secret)` (Section 8);
    /// its public key goes into the GroupInfo's `external_pub` extension.
    public func externalKeyPair() throws -> HPKEKeyPair {
        try suite.deriveHPKEKeyPair(inputKeyMaterial: externalSecret)
    }

    /// The AEAD key and nonce that encrypt a Welcome's `GroupInfo` (Section 12.4.3.1).
    public func welcomeKeyAndNonce() throws -> (key: [UInt8], nonce: [UInt8]) {
        try Self.welcomeKeyAndNonce(suite: suite, welcomeSecret: welcomeSecret)
    }

    /// `welcome_key = ExpandWithLabel(welcome_secret, "key", "", Nk)` and
    /// `welcome_nonce = ExpandWithLabel(welcome_secret, "nonce", "", Nn)` (Section 12.4.3.1).
    public static func welcomeKeyAndNonce(suite: any CipherSuite, welcomeSecret: [UInt8]) throws -> (key: [UInt8], nonce: [UInt8]) {
        (try suite.expandWithLabel(secret: welcomeSecret, label: "key", context: [], length: suite.aeadKeyLength),
         try suite.expandWithLabel(secret: welcomeSecret, label: "nonce", context: [], length: suite.aeadNonceLength))
    }

    /// `welcome_secret` straight from a `joiner_secret` and PSK secret, for a joiner that needs
    /// to decrypt the GroupInfo before it knows the GroupContext.
    public static func welcomeSecret(suite: any CipherSuite, joinerSecret: [UInt8], pskSecret: [UInt8]?) throws -> [UInt8] {
        let zero = [UInt8](repeating: 0, count: suite.hashLength)
        return try suite.deriveSecret(secret: suite.extract(salt: joinerSecret, inputKeyMaterial: pskSecret ?? zero),
                                      label: "welcome")
    }

    public var description: String { "EpochSecrets(suite: \(suite.id), secrets: redacted)" }
}
