/// The secrets of an epoch that a member keeps after the epoch starts (RFC 9420, Section 8).
///
/// The joiner, welcome and encryption secrets are dropped as soon as they have been used (the
/// last one seeds the ``SecretTree``), as the deletion schedule of Section 9.2 asks.
struct EpochKeyMaterial: Hashable, Sendable, SecretRedacting {
    var senderDataSecret: [UInt8]
    var exporterSecret: [UInt8]
    var externalSecret: [UInt8]
    var confirmationKey: [UInt8]
    var membershipKey: [UInt8]
    var resumptionPSK: [UInt8]
    var epochAuthenticator: [UInt8]
    var initSecret: [UInt8]

    init(senderDataSecret: [UInt8], exporterSecret: [UInt8], externalSecret: [UInt8], confirmationKey: [UInt8],
         membershipKey: [UInt8], resumptionPSK: [UInt8], epochAuthenticator: [UInt8], initSecret: [UInt8]) {
        self.senderDataSecret = senderDataSecret
        self.exporterSecret = exporterSecret
        self.externalSecret = externalSecret
        self.confirmationKey = confirmationKey
        self.membershipKey = membershipKey
        self.resumptionPSK = resumptionPSK
        self.epochAuthenticator = epochAuthenticator
        self.initSecret = initSecret
    }

    init(_ secrets: EpochSecrets) {
        self.init(senderDataSecret: secrets.senderDataSecret, exporterSecret: secrets.exporterSecret,
                  externalSecret: secrets.externalSecret, confirmationKey: secrets.confirmationKey,
                  membershipKey: secrets.membershipKey, resumptionPSK: secrets.resumptionPSK,
                  epochAuthenticator: secrets.epochAuthenticator, initSecret: secrets.initSecret)
    }

    /// `MLS-Exporter(label, context, length)` (Section 8.5).
    func exporter(suite: any CipherSuite, label: String, context: [UInt8], length: Int) throws -> [UInt8] {
        try suite.expandWithLabel(secret: suite.deriveSecret(secret: exporterSecret, label: label),
                                  label: "exported", context: suite.hash(context), length: length)
    }

    /// The external HPKE key pair of the epoch, `KEM.DeriveKeyPair(external_secret)`.
    func externalKeyPair(suite: any CipherSuite) throws -> HPKEKeyPair {
        try suite.deriveHPKEKeyPair(inputKeyMaterial: externalSecret)
    }

    var description: String { "EpochKeyMaterial(redacted)" }
}
