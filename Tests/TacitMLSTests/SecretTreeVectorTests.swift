import Testing
import TacitConformance
@testable import TacitMLS

/// secret-tree.json: sender data keys and ratchet keys (RFC 9420, Sections 6.3.2 and 9).
@Suite("Secret tree vectors")
struct SecretTreeVectorTests {
    @Test("every leaf and generation of secret-tree.json matches, in any order")
    func allEntries() throws {
        try expectVectorsPass(SecretTreeVectorRunner.self, "secret-tree.json", entries: 6)
    }
}

/// Replay, window and ordering rules of the sender ratchets (RFC 9420, Section 9.2).
@Suite("Secret tree ratchet rules")
struct SecretTreeRatchetTests {
    let suite = X25519SHA256Ed25519Suite.aes128GCM
    let secret = [UInt8](repeating: 0x42, count: 32)

    @Test("sending keys advance and match the receiver's")
    func sendMatchesReceive() throws {
        var sender = SecretTree(suite: suite, encryptionSecret: secret, leafCount: 4)
        var receiver = SecretTree(suite: suite, encryptionSecret: secret, leafCount: 4)
        let leaf = LeafIndex(2)
        for generation in UInt32(0)..<3 {
            let sent = try sender.nextKey(for: leaf, type: .application)
            #expect(sent.generation == generation)
            #expect(try receiver.key(for: leaf, type: .application, generation: generation) == sent)
        }
        #expect(try sender.nextGeneration(for: leaf, type: .application) == 3)
        #expect(try sender.nextGeneration(for: leaf, type: .handshake) == 0)
    }

    @Test("a used generation cannot be used again (replay)")
    func replay() throws {
        var tree = SecretTree(suite: suite, encryptionSecret: secret, leafCount: 2)
        _ = try tree.key(for: LeafIndex(1), type: .application, generation: 0)
        #expect(throws: SecretTreeError.generationAlreadyUsed(0)) {
            try tree.key(for: LeafIndex(1), type: .application, generation: 0)
        }
        // Out of order: 5 then 3 then 3 again.
        _ = try tree.key(for: LeafIndex(1), type: .application, generation: 5)
        _ = try tree.key(for: LeafIndex(1), type: .application, generation: 3)
        #expect(throws: SecretTreeError.generationAlreadyUsed(3)) {
            try tree.key(for: LeafIndex(1), type: .application, generation: 3)
        }
        #expect(throws: SecretTreeError.generationAlreadyUsed(5)) {
            try tree.key(for: LeafIndex(1), type: .application, generation: 5)
        }
        // The handshake ratchet of the same leaf is independent.
        _ = try tree.key(for: LeafIndex(1), type: .handshake, generation: 0)
    }

    @Test("generations beyond the window are refused and leave the ratchet usable")
    func tooFar() throws {
        let configuration = SecretTreeConfiguration(maximumForwardDistance: 10, maximumSkippedKeys: 4)
        var tree = SecretTree(suite: suite, encryptionSecret: secret, leafCount: 2, configuration: configuration)
        #expect(throws: SecretTreeError.generationTooFarAhead(requested: 11, next: 0)) {
            try tree.key(for: LeafIndex(0), type: .application, generation: 11)
        }
        let ten = try tree.key(for: LeafIndex(0), type: .application, generation: 10)
        #expect(ten.generation == 10)
        #expect(throws: SecretTreeError.generationTooFarAhead(requested: 1_000_000, next: 11)) {
            try tree.key(for: LeafIndex(0), type: .application, generation: 1_000_000)
        }
        #expect(throws: SecretTreeError.generationTooFarAhead(requested: UInt32.max, next: 11)) {
            try tree.key(for: LeafIndex(0), type: .application, generation: UInt32.max)
        }
        // Only the 4 newest skipped keys (6...9) are kept; older ones are too old.
        #expect(throws: SecretTreeError.generationTooOld(5)) {
            try tree.key(for: LeafIndex(0), type: .application, generation: 5)
        }
        _ = try tree.key(for: LeafIndex(0), type: .application, generation: 6)
        _ = try tree.key(for: LeafIndex(0), type: .application, generation: 9)
    }

    @Test("a leaf count that is not a power of two lays secrets out in the full tree")
    func roundedUp() throws {
        var three = SecretTree(suite: suite, encryptionSecret: secret, leafCount: 3)
        var four = SecretTree(suite: suite, encryptionSecret: secret, leafCount: 4)
        for leaf in UInt32(0)..<3 {
            #expect(try three.key(for: LeafIndex(leaf), type: .handshake, generation: 2)
                    == four.key(for: LeafIndex(leaf), type: .handshake, generation: 2))
        }
        #expect(throws: SecretTreeError.leafOutOfRange(LeafIndex(3))) {
            try three.key(for: LeafIndex(3), type: .handshake, generation: 0)
        }
    }

    @Test("leaves outside the tree are refused")
    func outOfRange() {
        var tree = SecretTree(suite: suite, encryptionSecret: secret, leafCount: 2)
        #expect(throws: SecretTreeError.leafOutOfRange(LeafIndex(2))) {
            try tree.key(for: LeafIndex(2), type: .application, generation: 0)
        }
    }

    @Test("descriptions show no key material")
    func redaction() throws {
        var tree = SecretTree(suite: suite, encryptionSecret: secret, leafCount: 2)
        let key = try tree.nextKey(for: LeafIndex(0), type: .application)
        for text in [String(describing: tree), String(reflecting: tree), String(describing: key), String(reflecting: key)] {
            #expect(!text.contains(secret.hex))
            #expect(!text.contains(key.key.hex))
        }
        var dumped = ""
        dump(tree, to: &dumped)
        #expect(!dumped.contains("66")) // 0x42 bytes would print as 66
    }
}
