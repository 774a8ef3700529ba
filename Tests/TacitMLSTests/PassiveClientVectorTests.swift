import Foundation
import Testing
import TacitMLS

/// The passive client scenarios of the interop vectors (README-upstream.md, "Passive Client
/// Scenarios"): join from a Welcome, then follow every epoch's proposals and Commit, checking
/// the epoch authenticator at each epoch.
@Suite("Passive client (passive-client-*.json)")
struct PassiveClientVectorTests {
    struct ExternalPSK: Decodable {
        let psk_id: HexBytes
        let psk: HexBytes
    }

    struct Epoch: Decodable {
        let proposals: [HexBytes]
        let commit: HexBytes
        let epoch_authenticator: HexBytes
    }

    struct Entry: Decodable {
        let cipher_suite: UInt16
        let external_psks: [ExternalPSK]
        let key_package: HexBytes
        let signature_priv: HexBytes
        let encryption_priv: HexBytes
        let init_priv: HexBytes
        let welcome: HexBytes
        let ratchet_tree: HexBytes?
        let initial_epoch_authenticator: HexBytes
        let epochs: [Epoch]
    }

    /// Runs one scenario; returns the number of epochs followed.
    static func run(_ entry: Entry) throws -> Int {
        guard case .keyPackage(let keyPackage) = try MLSMessage(mlsEncoded: entry.key_package.bytes).body else {
            throw VectorFailure("key_package is not a KeyPackage")
        }
        // Checks that the three private keys belong to the package's public keys.
        let bundle = try KeyPackageBundle(keyPackage: keyPackage, secrets: KeyPackageSecrets(
            initPrivateKey: entry.init_priv.bytes, encryptionPrivateKey: entry.encryption_priv.bytes,
            signaturePrivateKey: entry.signature_priv.bytes))
        let psks = InMemoryPreSharedKeyStore(external: Dictionary(
            entry.external_psks.map { ($0.psk_id.bytes, $0.psk.bytes) }, uniquingKeysWith: { first, _ in first }))
        // The vectors' lifetimes have expired since they were generated.
        let configuration = MLSGroupConfiguration(lifetimeValidation: .skip, preSharedKeys: psks)
        let tree = try entry.ratchet_tree.map { try RatchetTree(mlsEncoded: $0.bytes) }
        var group = try MLSGroup.join(welcome: try MLSMessage(mlsEncoded: entry.welcome.bytes), keyPackage: bundle,
                                      ratchetTree: tree, configuration: configuration)
        guard group.epochAuthenticator == entry.initial_epoch_authenticator.bytes else {
            throw VectorFailure("initial epoch authenticator differs")
        }
        for (number, epoch) in entry.epochs.enumerated() {
            for proposal in epoch.proposals {
                guard case .proposal = try group.process(try MLSMessage(mlsEncoded: proposal.bytes)) else {
                    throw VectorFailure("epoch \(number): a proposal was not processed as one")
                }
            }
            guard case .commit(let changes) = try group.process(try MLSMessage(mlsEncoded: epoch.commit.bytes)) else {
                throw VectorFailure("epoch \(number): the commit was not processed as one")
            }
            guard changes.epoch == group.epoch, group.epochAuthenticator == epoch.epoch_authenticator.bytes else {
                throw VectorFailure("epoch \(number): epoch authenticator differs")
            }
            // The whole state survives a round trip at every epoch.
            let restored = try MLSGroup(serializedState: group.serializedState(), configuration: configuration)
            guard restored.serializedState() == group.serializedState() else {
                throw VectorFailure("epoch \(number): state does not round-trip")
            }
        }
        return entry.epochs.count
    }

    /// Runs every entry of `file`; returns how many joined and how many epochs they followed.
    @discardableResult
    static func check(file: String, expectedEntries: Int?) throws -> (joined: Int, epochs: Int) {
        let entries = try TestVectors.load(file, as: [Entry].self)
        if let expectedEntries { #expect(entries.count == expectedEntries, "\(file)") }
        var joined = 0, epochs = 0
        for (number, entry) in entries.enumerated() {
            do {
                epochs += try run(entry)
                joined += 1
            } catch {
                Issue.record("\(file) entry \(number) (suite \(entry.cipher_suite)): \(error)")
            }
        }
        #expect(joined == entries.count, "\(file)")
        return (joined, epochs)
    }

    @Test("passive-client-welcome.json: every entry joins (with and without the tree in the Welcome)")
    func welcome() throws {
        let result = try Self.check(file: "passive-client-welcome.json", expectedEntries: 16)
        #expect(result.joined == 16)
    }

    @Test("passive-client-handling-commit.json: every entry follows every epoch")
    func handlingCommit() throws {
        let result = try Self.check(file: "passive-client-handling-commit.json", expectedEntries: 26)
        #expect(result.joined == 26)
        #expect(result.epochs == 52, "every epoch of every entry followed")
    }

    @Test("passive-client-random.json, when present: every entry follows every epoch")
    func random() throws {
        // Optional in the upstream set; the two files above are required.
        guard (try? TestVectors.data("passive-client-random.json")) != nil else { return }
        try Self.check(file: "passive-client-random.json", expectedEntries: nil)
    }
}

struct VectorFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
