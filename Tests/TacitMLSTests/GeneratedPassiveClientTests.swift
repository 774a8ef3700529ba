import Foundation
import Testing
import TacitConformance
import TacitMLS

/// The passive-client runner on a file it has never seen: a long scenario recorded from our own
/// group, in the interop format, with many epochs and proposals by reference.
@Suite("Conformance runner on a generated passive-client file")
struct GeneratedPassiveClientTests {
    typealias F = GroupFixtures

    /// Records `epochs` epochs in which the creator proposes `adds` Adds and as many Removes of
    /// earlier joiners, then commits them by reference; returns one passive-client entry.
    static func scenario(epochs: Int, adds: Int) throws -> [String: Any] {
        var creator = try MLSGroup.create(suite: F.suiteID, identity: F.identity("creator"))
        let passive = try F.keyPackage("passive")
        let first = try creator.commit(adding: [passive.keyPackage], options: CommitOptions(ratchetTreeInWelcome: false))
        try creator.mergePendingCommit()
        let welcome = try #require(first.welcome)
        var entry: [String: Any] = [
            "cipher_suite": Int(F.suiteID.rawValue),
            "external_psks": [[String: Any]](),
            "key_package": MLSMessage(.keyPackage(passive.keyPackage)).mlsEncoded.hex,
            "signature_priv": passive.secrets.signaturePrivateKey.hex,
            "encryption_priv": passive.secrets.encryptionPrivateKey.hex,
            "init_priv": passive.secrets.initPrivateKey.hex,
            "welcome": welcome.mlsEncoded.hex,
            "ratchet_tree": creator.ratchetTree.mlsEncoded.hex,
            "initial_epoch_authenticator": creator.epochAuthenticator.hex,
        ]
        var recorded: [[String: Any]] = []
        for _ in 0..<epochs {
            var proposals: [String] = []
            let joiners = creator.members.map(\.index).filter { $0.rawValue > 1 }
            for leaf in joiners.prefix(adds) {
                proposals.append(try creator.proposeRemove(leaf).mlsEncoded.hex)
            }
            for _ in 0..<adds {
                proposals.append(try creator.proposeAdd(try F.keyPackage("joiner").keyPackage).mlsEncoded.hex)
            }
            let bundle = try creator.commit(options: CommitOptions(groupInfo: nil))
            try creator.mergePendingCommit()
            recorded.append(["proposals": proposals, "commit": bundle.commit.mlsEncoded.hex,
                             "epoch_authenticator": creator.epochAuthenticator.hex])
        }
        entry["epochs"] = recorded
        return entry
    }

    @Test("every epoch of a long generated scenario is followed; one changed authenticator fails only its entry")
    func longScenario() throws {
        let epochs = 60, adds = 4
        let entry = try Self.scenario(epochs: epochs, adds: adds)
        var broken = entry
        var brokenEpochs = try #require(broken["epochs"] as? [[String: Any]])
        brokenEpochs[41]["epoch_authenticator"] = [UInt8](repeating: 0, count: 32).hex
        broken["epochs"] = brokenEpochs
        let data = try JSONSerialization.data(withJSONObject: [entry, broken, entry])

        let result = MLSConformance.run(data, name: "passive-client-generated.json")
        #expect(result.kind == .passiveClient)
        #expect(result.entries.map(\.outcome.isPassed) == [true, false, true], "\(result.failureReasons)")
        #expect(result.entries[1].failureReason?.contains("epoch_authenticator of epochs[41]") == true,
                "\(result.failureReasons)")
        let proposals = try #require(entry["epochs"] as? [[String: Any]]).reduce(0) { $0 + (($1["proposals"] as? [String])?.count ?? 0) }
        #expect(proposals == epochs * 2 * adds - adds, "every epoch but the first removes as many as it adds")
    }
}

extension MLSVectorEntryResult.Outcome {
    var isPassed: Bool { self == .passed }
}
