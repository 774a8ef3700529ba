import TacitMLS

/// key-schedule.json: GroupContext encoding and every output of every epoch (RFC 9420, Section 8).
public enum KeyScheduleVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public struct Exporter: Decodable, Sendable {
            public let label: String; public let context: VectorHex; public let length: Int; public let secret: VectorHex
        }
        public struct Epoch: Decodable, Sendable {
            public let tree_hash, commit_secret, psk_secret, confirmed_transcript_hash, group_context: VectorHex
            public let joiner_secret, welcome_secret, init_secret: VectorHex
            public let sender_data_secret, encryption_secret, exporter_secret, epoch_authenticator: VectorHex
            public let external_secret, confirmation_key, membership_key, resumption_psk, external_pub: VectorHex
            public let exporter: Exporter
        }
        public let cipher_suite: UInt16
        public let group_id: VectorHex
        public let initial_init_secret: VectorHex
        public let epochs: [Epoch]
    }

    public static let kind = MLSVectorKind.keySchedule

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        var initSecret = entry.initial_init_secret.bytes
        for (index, epoch) in entry.epochs.enumerated() {
            initSecret = try check(epoch, number: UInt64(index), initSecret: initSecret, entry: entry, suite: suite)
        }
    }

    /// Checks one epoch and returns its init_secret, the next epoch's input.
    private static func check(_ epoch: Entry.Epoch, number: UInt64, initSecret: [UInt8], entry: Entry,
                              suite: any CipherSuite) throws -> [UInt8] {
        let at = "epoch \(number)"
        let groupContext = GroupContext(cipherSuite: suite.id, groupID: entry.group_id.bytes, epoch: number,
                                        treeHash: epoch.tree_hash.bytes,
                                        confirmedTranscriptHash: epoch.confirmed_transcript_hash.bytes)
        try expectEqual(groupContext.mlsEncoded, epoch.group_context.bytes, "group_context of \(at)")
        try expectEqual(try step("decoding group_context of \(at)") { try GroupContext(mlsEncoded: epoch.group_context.bytes) },
                        groupContext, "decoded group_context of \(at)")

        let secrets = try step("key schedule of \(at)") {
            try EpochSecrets(suite: suite, initSecret: initSecret, commitSecret: epoch.commit_secret.bytes,
                             pskSecret: epoch.psk_secret.bytes, groupContext: groupContext)
        }
        let outputs: [(String, [UInt8], VectorHex)] = [
            ("joiner_secret", secrets.joinerSecret, epoch.joiner_secret),
            ("welcome_secret", secrets.welcomeSecret, epoch.welcome_secret),
            ("init_secret", secrets.initSecret, epoch.init_secret),
            ("sender_data_secret", secrets.senderDataSecret, epoch.sender_data_secret),
            ("encryption_secret", secrets.encryptionSecret, epoch.encryption_secret),
            ("exporter_secret", secrets.exporterSecret, epoch.exporter_secret),
            ("epoch_authenticator", secrets.epochAuthenticator, epoch.epoch_authenticator),
            ("external_secret", secrets.externalSecret, epoch.external_secret),
            ("confirmation_key", secrets.confirmationKey, epoch.confirmation_key),
            ("membership_key", secrets.membershipKey, epoch.membership_key),
            ("resumption_psk", secrets.resumptionPSK, epoch.resumption_psk),
        ]
        for (name, computed, expected) in outputs {
            try expectEqual(computed, expected.bytes, "\(name) of \(at)")
        }
        try expectEqual(try step("external key pair of \(at)") { try secrets.externalKeyPair().publicKey },
                        epoch.external_pub.bytes, "external_pub of \(at)")
        let exporter = epoch.exporter
        try expectEqual(try step("exporter of \(at)") {
            try secrets.exporter(label: exporter.label, context: exporter.context.bytes, length: exporter.length)
        }, exporter.secret.bytes, "exporter.secret of \(at)")

        // A joiner, who starts from joiner_secret, reaches the same epoch.
        let joined = try step("key schedule from joiner_secret of \(at)") {
            try EpochSecrets(suite: suite, joinerSecret: epoch.joiner_secret.bytes, pskSecret: epoch.psk_secret.bytes,
                             groupContext: groupContext)
        }
        try expectEqual(joined.epochAuthenticator, epoch.epoch_authenticator.bytes, "epoch_authenticator from joiner_secret, \(at)")
        try expectEqual(joined.initSecret, epoch.init_secret.bytes, "init_secret from joiner_secret, \(at)")
        try expectEqual(try step("welcome_secret from joiner_secret of \(at)") {
            try EpochSecrets.welcomeSecret(suite: suite, joinerSecret: epoch.joiner_secret.bytes, pskSecret: epoch.psk_secret.bytes)
        }, epoch.welcome_secret.bytes, "welcome_secret from joiner_secret, \(at)")
        return secrets.initSecret
    }
}
