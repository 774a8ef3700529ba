import TacitMLS

/// passive-client-*.json: join from a Welcome, then follow every epoch's proposals and Commit,
/// matching the epoch authenticator each time (README of the interop vectors, "Passive Client Scenarios").
public enum PassiveClientVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public struct ExternalPSK: Decodable, Sendable { public let psk_id, psk: VectorHex }
        public struct Epoch: Decodable, Sendable {
            public let proposals: [VectorHex]
            public let commit, epoch_authenticator: VectorHex
        }
        public let cipher_suite: UInt16
        public let external_psks: [ExternalPSK]
        public let key_package, signature_priv, encryption_priv, init_priv, welcome: VectorHex
        /// `null` when the Welcome's GroupInfo carries the tree.
        public let ratchet_tree: VectorHex?
        public let initial_epoch_authenticator: VectorHex
        public let epochs: [Epoch]
    }

    public static let kind = MLSVectorKind.passiveClient

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        var group = try join(entry, context: context)
        try expectEqual(group.epochAuthenticator, entry.initial_epoch_authenticator.bytes, "initial_epoch_authenticator")
        for (number, epoch) in entry.epochs.enumerated() {
            try follow(epoch, number, &group)
        }
    }

    /// Joins from the entry's Welcome, after checking its private keys belong to its KeyPackage.
    static func join(_ entry: Entry, context: MLSVectorContext) throws -> MLSGroup {
        guard case .keyPackage(let keyPackage) = try decodeExactly(MLSMessage.self, entry.key_package.bytes, "key_package").body else {
            throw MLSVectorMismatch("key_package is not a KeyPackage")
        }
        try context.checkLifetime(of: keyPackage, "key_package")
        let bundle = try step("matching signature_priv, encryption_priv and init_priv to the KeyPackage") {
            try KeyPackageBundle(keyPackage: keyPackage, secrets: KeyPackageSecrets(
                initPrivateKey: entry.init_priv.bytes, encryptionPrivateKey: entry.encryption_priv.bytes,
                signaturePrivateKey: entry.signature_priv.bytes))
        }
        let psks = InMemoryPreSharedKeyStore(external: Dictionary(
            entry.external_psks.map { ($0.psk_id.bytes, $0.psk.bytes) }, uniquingKeysWith: { first, _ in first }))
        let configuration = MLSGroupConfiguration(lifetimeValidation: context.options.checkLifetimes ? .enforce : .skip,
                                                  preSharedKeys: psks)
        let tree = try entry.ratchet_tree.map { try decodeExactly(RatchetTree.self, $0.bytes, "ratchet_tree") }
        let welcome = try decodeExactly(MLSMessage.self, entry.welcome.bytes, "welcome")
        return try step("joining from the Welcome") {
            try MLSGroup.join(welcome: welcome, keyPackage: bundle, ratchetTree: tree, configuration: configuration)
        }
    }

    /// Processes one epoch's proposals and Commit and checks the new epoch's authenticator.
    static func follow(_ epoch: Entry.Epoch, _ number: Int, _ group: inout MLSGroup) throws {
        let at = "epochs[\(number)]"
        for (index, proposal) in epoch.proposals.enumerated() {
            let message = try decodeExactly(MLSMessage.self, proposal.bytes, "proposal \(index) of \(at)")
            guard case .proposal = try step("processing proposal \(index) of \(at)", { try group.process(message) }) else {
                throw MLSVectorMismatch("proposal \(index) of \(at) was not processed as a proposal")
            }
        }
        let commit = try decodeExactly(MLSMessage.self, epoch.commit.bytes, "commit of \(at)")
        let before = group.epoch
        guard case .commit = try step("processing the commit of \(at)", { try group.process(commit) }) else {
            throw MLSVectorMismatch("the commit of \(at) was not processed as a Commit")
        }
        try expectEqual(group.epoch, before &+ 1, "epoch number after \(at)")
        try expectEqual(group.epochAuthenticator, epoch.epoch_authenticator.bytes, "epoch_authenticator of \(at)")
    }
}
