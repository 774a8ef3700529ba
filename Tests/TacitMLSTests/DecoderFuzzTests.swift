import Testing
import TacitConformance
@testable import TacitMLS

/// Feeds random and mutated bytes to every Tree/Messages decoder. A decoder must either throw
/// or return a value whose encoding is exactly its input (the codec is canonical); it must
/// never crash. Decoded trees are also hashed and validated, which must not crash either.
@Suite("Decoder fuzzing (bounded, seeded)")
struct DecoderFuzzTests {
    /// SplitMix64: small, seeded, reproducible.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    struct Decoder: Sendable {
        let name: String
        let decode: @Sendable ([UInt8]) throws -> [UInt8]
    }

    static func decoder<T: MLSCodable>(_: T.Type) -> Decoder {
        Decoder(name: String(describing: T.self)) { bytes in try T(mlsEncoded: bytes).mlsEncoded }
    }

    static let decoders: [Decoder] = [
        decoder(Extension.self), decoder(Credential.self), decoder(Capabilities.self), decoder(Lifetime.self),
        decoder(LeafNodeSource.self), decoder(LeafNode.self), decoder(KeyPackage.self), decoder(KeyPackageRef.self),
        decoder(ProposalRef.self), decoder(AddProposal.self), decoder(UpdateProposal.self), decoder(RemoveProposal.self),
        decoder(PreSharedKeyProposal.self), decoder(ReInitProposal.self), decoder(ExternalInitProposal.self),
        decoder(GroupContextExtensionsProposal.self), decoder(Proposal.self), decoder(ProposalOrRef.self),
        decoder(Commit.self), decoder(UpdatePathNode.self), decoder(UpdatePath.self), decoder(PathSecret.self),
        decoder(GroupSecrets.self), decoder(EncryptedGroupSecrets.self), decoder(Welcome.self), decoder(GroupInfo.self),
        decoder(ExternalSender.self), decoder(ExternalSendersExtension.self), decoder(RequiredCapabilitiesExtension.self),
        decoder(ExternalPubExtension.self), decoder(ApplicationIDExtension.self), decoder(ParentNode.self),
        decoder(Node.self), decoder(RatchetTree.self), decoder(RatchetTreeExtension.self),
    ]

    /// Real encodings to mutate: a few entries of each structure in the vectors.
    static func seeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        let messages = try TestVectors.load("messages.json", as: [MessagesVectorTests.Entry].self)
        for entry in messages.prefix(4) {
            seeds += [entry.ratchet_tree, entry.group_secrets, entry.add_proposal, entry.update_proposal,
                      entry.remove_proposal, entry.pre_shared_key_proposal, entry.re_init_proposal,
                      entry.external_init_proposal, entry.commit].map(\.bytes)
            seeds += try [entry.mls_welcome, entry.mls_group_info, entry.mls_key_package].map { try splitMLSMessage($0.bytes).body }
        }
        let trees = try TestVectors.load("tree-validation.json", as: [TreeValidationTests.Entry].self)
        seeds += trees.prefix(3).map(\.tree.bytes)
        return seeds
    }

    static func mutate(_ bytes: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !out.isEmpty:
                out[Int.random(in: 0..<out.count, using: &rng)] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1 where !out.isEmpty:
                out[Int.random(in: 0..<out.count, using: &rng)] = UInt8.random(in: .min ... .max, using: &rng)
            case 2 where !out.isEmpty:
                out.remove(at: Int.random(in: 0..<out.count, using: &rng))
            case 3:
                out.insert(UInt8.random(in: .min ... .max, using: &rng), at: Int.random(in: 0...out.count, using: &rng))
            case 4 where !out.isEmpty:
                out.removeLast(Int.random(in: 0...min(out.count, 8), using: &rng))
            default:
                // Lengths like 0x3f, 0x7fff or 0xbfffffff in a random place stress the varint paths.
                let length: [UInt8] = [[0x3f], [0x7f, 0xff], [0xbf, 0xff, 0xff, 0xff], [0xc0]][Int.random(in: 0..<4, using: &rng)]
                let at = Int.random(in: 0...out.count, using: &rng)
                out.insert(contentsOf: length, at: at)
            }
        }
        return out
    }

    static func exercise(_ decoder: Decoder, _ input: [UInt8], accepted: inout Int) {
        guard let encoded = try? decoder.decode(input) else { return }
        accepted += 1
        #expect(encoded == input, "\(decoder.name) accepted a non-canonical encoding: \(input.hex)")
    }

    /// Runs tree algorithms on any tree the mutations produce; they must not crash.
    static func exerciseTree(_ input: [UInt8], suite: any CipherSuite) {
        guard let tree = try? RatchetTree(mlsEncoded: input) else { return }
        _ = tree.allTreeHashes(suite: suite)
        for index in 0..<UInt32(tree.nodes.count) { _ = tree.resolution(of: NodeIndex(index)) }
        for leaf in tree.occupiedLeaves { _ = tree.filteredDirectPath(of: leaf) }
        _ = try? tree.validate(suite: suite, groupID: [])
    }

    @Test("mutated vector encodings")
    func mutatedInputs() throws {
        let suite = try suite1()
        var rng = SeededGenerator(state: 0x7ac1_7000)
        var accepted = 0, runs = 0
        for seed in try Self.seeds() {
            for _ in 0..<40 {
                let input = Self.mutate(seed, using: &rng)
                for decoder in Self.decoders {
                    Self.exercise(decoder, input, accepted: &accepted)
                    runs += 1
                }
                Self.exerciseTree(input, suite: suite)
            }
        }
        #expect(runs > 10_000)
        #expect(accepted > 0, "some mutations should still decode")
    }

    @Test("random byte strings")
    func randomInputs() throws {
        let suite = try suite1()
        var rng = SeededGenerator(state: 0x5eed)
        var accepted = 0
        for _ in 0..<600 {
            let input = (0..<Int.random(in: 0..<96, using: &rng)).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
            for decoder in Self.decoders { Self.exercise(decoder, input, accepted: &accepted) }
            Self.exerciseTree(input, suite: suite)
        }
        #expect(accepted > 0, "short inputs such as a RemoveProposal decode")
    }

    @Test("every vector seed decodes unmodified with at least one decoder")
    func seedsDecode() throws {
        for seed in try Self.seeds() {
            var accepted = 0
            for decoder in Self.decoders { Self.exercise(decoder, seed, accepted: &accepted) }
            #expect(accepted > 0)
        }
    }
}
