import Foundation
import Testing
import TacitMLS

/// A deterministic pseudo-random generator (SplitMix64), so a failing run can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Many members, random operations, every member checked against every other at every epoch.
@Suite("Group simulation")
struct GroupSimulationTests {
    typealias F = GroupFixtures

    /// The members of the simulated group and the driver's bookkeeping.
    struct Simulation {
        var rng: SeededGenerator
        var members: [String: MLSGroup] = [:]
        var nextName = 0
        var epochs = 0, applicationMessages = 0, adds = 0, removes = 0, updates = 0, restores = 0

        init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

        mutating func freshName() -> String {
            defer { nextName += 1 }
            return "member-\(nextName)"
        }

        mutating func configuration() -> MLSGroupConfiguration {
            MLSGroupConfiguration(handshakeWireFormat: Bool.random(using: &rng) ? .publicMessage : .privateMessage)
        }

        mutating func randomMember(excluding: Set<String> = []) -> String {
            members.keys.filter { !excluding.contains($0) }.sorted().randomElement(using: &rng)!
        }

        func name(at leaf: LeafIndex) -> String? {
            members.first { $0.value.ownLeafIndex == leaf }?.key
        }

        /// Sends a message from `sender` to every other member; returns what each got.
        mutating func broadcast(_ message: MLSMessage, from sender: String) throws -> [String: ProcessedMessage] {
            var results: [String: ProcessedMessage] = [:]
            for name in members.keys.sorted() where name != sender {
                results[name] = try members[name]!.process(message)
            }
            return results
        }

        /// Delivers a Commit, merges it at the committer, joins new members and drops removed ones.
        mutating func deliver(_ bundle: CommitBundle, from committer: String, newMembers: [String: KeyPackageBundle]) throws {
            try members[committer]!.mergePendingCommit()
            let results = try broadcast(bundle.commit, from: committer)
            var removed: [String: MLSGroup] = [:]
            for (name, result) in results {
                guard case .commit(let changes) = result else { throw VectorFailure("\(name): not a commit") }
                #expect(changes == bundle.changes.withRemovedSelf(changes.removedSelf), "\(name) sees the same changes")
                if changes.removedSelf { removed[name] = members.removeValue(forKey: name) }
            }
            #expect(Set(bundle.changes.removed.map(\.credential)) == Set(removed.keys.map { Credential.basic(identity: Array($0.utf8)) }))
            if let welcome = bundle.welcome {
                for (name, package) in newMembers.sorted(by: { $0.key < $1.key }) {
                    members[name] = try MLSGroup.join(welcome: welcome, keyPackage: package, configuration: configuration())
                }
            }
            epochs += 1
            try checkAgreement()
            // A removed member can read nothing of the new epoch.
            if let (name, leaver) = removed.first {
                var old = leaver
                let sender = randomMember()
                let message = try members[sender]!.encrypt(Array("after \(name) left".utf8))
                #expect(throws: MLSGroupError.self) { try old.decrypt(message) }
                _ = try broadcast(message, from: sender)
                applicationMessages += 1
            }
        }

        func checkAgreement() throws {
            let authenticators = Set(members.values.map(\.epochAuthenticator))
            let epochNumbers = Set(members.values.map(\.epoch))
            let trees = Set(members.values.map { $0.groupContext.treeHash })
            guard authenticators.count == 1, epochNumbers.count == 1, trees.count == 1 else {
                throw VectorFailure("members disagree after epoch \(epochNumbers.sorted())")
            }
            // The incrementally kept tree hash equals a full recomputation.
            if let any = members.values.first, any.groupContext.treeHash != any.ratchetTree.treeHash(suite: any.suite) {
                throw VectorFailure("cached tree hash differs from the tree's")
            }
            guard members.values.allSatisfy({ $0.members.count == members.count }) else {
                throw VectorFailure("member lists differ from the simulated membership")
            }
        }

        mutating func applicationMessage() throws {
            let sender = randomMember()
            let text = Array("message \(applicationMessages) from \(sender)".utf8)
            let message = try members[sender]!.encrypt(text)
            for (name, result) in try broadcast(message, from: sender) {
                guard case .application(let application) = result, application.data == text else {
                    throw VectorFailure("\(name) did not read the message")
                }
            }
            applicationMessages += 1
        }

        mutating func addMembers() throws {
            let count = Int.random(in: 1...3, using: &rng)
            var packages: [String: KeyPackageBundle] = [:]
            for _ in 0..<count {
                let name = freshName()
                packages[name] = try F.keyPackage(name)
            }
            let committer = randomMember()
            let sorted = packages.sorted { $0.key < $1.key }
            let bundle: CommitBundle
            if Bool.random(using: &rng) {
                bundle = try members[committer]!.commit(adding: sorted.map(\.value.keyPackage))
            } else {
                // By reference: another member proposes the first Add.
                let proposer = randomMember(excluding: [committer])
                _ = try broadcast(try members[proposer]!.proposeAdd(sorted[0].value.keyPackage), from: proposer)
                bundle = try members[committer]!.commit(adding: sorted.dropFirst().map(\.value.keyPackage))
            }
            adds += count
            try deliver(bundle, from: committer, newMembers: packages)
        }

        mutating func removeMember() throws {
            let committer = randomMember()
            let victim = randomMember(excluding: [committer])
            let leaf = members[victim]!.ownLeafIndex
            let bundle: CommitBundle
            if Bool.random(using: &rng) {
                bundle = try members[committer]!.commit(adding: [], removing: [leaf])
            } else {
                let proposer = randomMember(excluding: [committer])
                _ = try broadcast(try members[proposer]!.proposeRemove(leaf), from: proposer)
                bundle = try members[committer]!.commit()
            }
            removes += 1
            try deliver(bundle, from: committer, newMembers: [:])
        }

        mutating func updateMember() throws {
            let committer = randomMember()
            let bundle: CommitBundle
            if Bool.random(using: &rng) {
                bundle = try members[committer]!.commit(options: CommitOptions(groupInfo: nil))
            } else {
                let updater = randomMember(excluding: [committer])
                _ = try broadcast(try members[updater]!.proposeUpdate(), from: updater)
                bundle = try members[committer]!.commit()
            }
            updates += 1
            try deliver(bundle, from: committer, newMembers: [:])
        }

        mutating func restoreRandomMember() throws {
            let name = randomMember()
            let bytes = members[name]!.serializedState()
            let restored = try MLSGroup(serializedState: bytes, configuration: members[name]!.configuration)
            let identical = restored.serializedState() == bytes
            #expect(identical, "a restored state encodes to the same bytes")
            members[name] = restored
            restores += 1
        }
    }

    @Test("52 members, 240 random operations: all members agree at every epoch", .timeLimit(.minutes(10)))
    func randomOperations() throws {
        // TACIT_SIM_SEED replays or explores other runs; the default seed is fixed.
        let seed = UInt64(ProcessInfo.processInfo.environment["TACIT_SIM_SEED"] ?? "") ?? 0x7ac1_7000_0009
        var simulation = Simulation(seed: seed)
        let names = (0..<52).map { _ in simulation.freshName() }
        let groups = try F.group(names)
        for (name, group) in zip(names, groups) { simulation.members[name] = group }
        try simulation.checkAgreement()

        for _ in 0..<240 {
            let size = simulation.members.count
            switch Int.random(in: 0..<100, using: &simulation.rng) {
            case 0..<45: try simulation.applicationMessage()
            case 45..<60 where size < 60: try simulation.addMembers()
            case 45..<75 where size > 50: try simulation.removeMember()
            case 45..<75: try simulation.addMembers()
            case 75..<93: try simulation.updateMember()
            default: try simulation.restoreRandomMember()
            }
        }
        print("simulation: \(simulation.members.count) members at the end, \(simulation.epochs) epochs, "
              + "\(simulation.applicationMessages) application messages, \(simulation.adds) adds, "
              + "\(simulation.removes) removes, \(simulation.updates) updates, \(simulation.restores) restores")
        #expect(simulation.members.count >= 50)
        #expect(simulation.epochs > 60)
        #expect(simulation.applicationMessages > 60)
        #expect(simulation.adds > 0 && simulation.removes > 0 && simulation.updates > 0 && simulation.restores > 0)
    }
}

extension CommitChanges {
    /// The same changes as another member sees them (only `removedSelf` differs).
    func withRemovedSelf(_ value: Bool) -> CommitChanges {
        var copy = self
        copy.removedSelf = value
        return copy
    }
}
