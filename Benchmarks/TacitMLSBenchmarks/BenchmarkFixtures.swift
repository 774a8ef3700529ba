import TacitMLS

/// Groups and key packages built with real keys, outside the measured region.
enum BenchmarkFixtures {
    static let suite = CipherSuiteID.mls128X25519AES128GCMSHA256Ed25519

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A fresh identity with a basic credential naming `name`.
    static func identity(_ name: String) throws -> MLSSigningIdentity {
        try MLSSigningIdentity.generate(credential: .basic(identity: Array(name.utf8)), suite: suite)
    }

    /// A fresh client's KeyPackage.
    static func keyPackage(_ name: String) throws -> KeyPackageBundle {
        try KeyPackageBundle.create(suite: suite, identity: identity(name))
    }

    /// A group of `size` members: the creator (leaf 0) added the others in one Commit, and
    /// the member at leaf 1 joined from its Welcome.
    static func group(size: Int) throws -> (creator: MLSGroup, member: MLSGroup) {
        var creator = try MLSGroup.create(suite: suite, identity: identity("member-0"))
        let packages = try (1..<size).map { try keyPackage("member-\($0)") }
        let bundle = try creator.commit(adding: packages.map(\.keyPackage))
        try creator.mergePendingCommit()
        guard let welcome = bundle.welcome, let first = packages.first else { throw Failure(description: "no Welcome") }
        let member = try MLSGroup.join(welcome: welcome, keyPackage: first)
        return (creator, member)
    }
}

/// A group of a given size and a Commit by its creator adding one more member (not merged),
/// so a benchmark can commit, process or join on copies of the same state.
struct AddOneMemberScenario: Sendable {
    let creator: MLSGroup
    let member: MLSGroup
    let newcomer: KeyPackageBundle
    let options: CommitOptions
    let commit: MLSMessage
    let welcome: MLSMessage

    init(groupSize: Int, pathPolicy: CommitOptions.PathPolicy) throws {
        (creator, member) = try BenchmarkFixtures.group(size: groupSize)
        newcomer = try BenchmarkFixtures.keyPackage("newcomer")
        options = CommitOptions(pathPolicy: pathPolicy)
        var committer = creator
        let bundle = try committer.commit(adding: [newcomer.keyPackage], options: options)
        guard let welcome = bundle.welcome else { throw BenchmarkFixtures.Failure(description: "no Welcome") }
        commit = bundle.commit
        self.welcome = welcome
    }
}

/// Two members that exchange application messages; a class, so their ratchets advance
/// from one iteration to the next as in a real conversation.
final class ConversationPair: @unchecked Sendable {
    // Only touched from the benchmark's one thread.
    var sender: MLSGroup
    var receiver: MLSGroup

    init() throws {
        (sender, receiver) = try BenchmarkFixtures.group(size: 2)
    }
}
