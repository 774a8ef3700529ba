import Testing
import TacitConformance
@testable import TacitMLS

@Suite("Ratchet tree: codec, operations and validation failures")
struct RatchetTreeTests {
    /// The first tree-validation vector with at least `minimumParents` non-blank parent nodes.
    static func vectorTree(minimumParents: Int = 1) throws -> (tree: RatchetTree, groupID: [UInt8]) {
        let entries = try TestVectors.load("tree-validation.json", as: [TreeValidationTests.Entry].self)
        for entry in entries where entry.cipher_suite == 1 {
            let tree = try RatchetTree(mlsEncoded: entry.tree.bytes)
            if tree.nodes.enumerated().filter({ $0.offset % 2 == 1 && $0.element != nil }).count >= minimumParents {
                return (tree, entry.group_id.bytes)
            }
        }
        throw RatchetTreeError.empty
    }

    static func mutated(_ tree: RatchetTree, at index: NodeIndex, _ change: (inout Node) -> Void) throws -> RatchetTree {
        var nodes = tree.nodes
        guard var node = nodes[Int(index.rawValue)] else { throw RatchetTreeError.indexOutOfRange(index) }
        change(&node)
        nodes[Int(index.rawValue)] = node
        return try RatchetTree(nodes: nodes)
    }

    // MARK: Codec

    @Test("an empty node list, a trailing blank and misplaced node types are refused")
    func malformedEncodings() throws {
        let suite = try suite1()
        let member = try TestMember(suite: suite, identity: "a")
        #expect(throws: RatchetTreeError.empty) { try RatchetTree(mlsEncoded: [0x00]) }
        var trailing = MLSEncoder()
        trailing.writeVector { $0.writeOptional(Node.leaf(member.leaf)); $0.writeOptional(Node?.none) }
        #expect(throws: RatchetTreeError.trailingBlankNode) { try RatchetTree(mlsEncoded: trailing.bytes) }
        #expect(throws: RatchetTreeError.nodeTypeMismatch(NodeIndex(1))) {
            try RatchetTree(nodes: [.leaf(member.leaf), .leaf(member.leaf)])
        }
        #expect(throws: RatchetTreeError.nodeTypeMismatch(NodeIndex(0))) {
            try RatchetTree(nodes: [.parent(ParentNode(encryptionKey: [1]))])
        }
        // NodeType 3 is unknown.
        #expect(throws: MLSCodingError.unknownEnumValue(type: "NodeType", value: 3)) {
            try RatchetTree(mlsEncoded: [0x02, 0x01, 0x03])
        }
        #expect(throws: MLSCodingError.invalidOptionalPresence(2)) { try RatchetTree(mlsEncoded: [0x01, 0x02]) }
    }

    @Test("a long run of blank nodes is refused before it is stored")
    func tooManyNodes() throws {
        var encoder = MLSEncoder()
        encoder.writeOpaque([UInt8](repeating: 0, count: 2 * Int(RatchetTree.maximumLeafCount)))
        #expect(throws: RatchetTreeError.self) { try RatchetTree(mlsEncoded: encoder.bytes) }
    }

    @Test("encoding trims trailing blanks and decoding pads to a full tree")
    func trimming() throws {
        let suite = try suite1()
        var tree = RatchetTree(leaf: try TestMember(suite: suite, identity: "a").leaf)
        try tree.add(try TestMember(suite: suite, identity: "b").leaf)
        try tree.add(try TestMember(suite: suite, identity: "c").leaf)
        #expect(tree.leafCount == 4 && tree.nodes.count == 7)
        var decoder = MLSDecoder(tree.mlsEncoded)
        let listed = try decoder.readVector { inner in
            var count = 0
            while !inner.isAtEnd { _ = try inner.readOptional(Node.self); count += 1 }
            return count
        }
        #expect(listed == 5, "leaf 3 and its blank parent are not sent")
        let decoded = try RatchetTree(mlsEncoded: tree.mlsEncoded)
        #expect(decoded == tree)
        #expect(decoded.nodes.count == 7)
    }

    // MARK: Operations

    @Test("add takes the leftmost blank leaf, extends when full and marks unmerged leaves")
    func add() throws {
        let suite = try suite1()
        let members = try (0..<5).map { try TestMember(suite: suite, identity: "m\($0)") }
        var tree = RatchetTree(leaf: members[0].leaf)
        #expect(try tree.add(members[1].leaf) == LeafIndex(1))
        #expect(tree.leafCount == 2)
        // Give the root a key, as a commit would, so the next add is recorded as unmerged there.
        try tree.setNode(.parent(ParentNode(encryptionKey: [9])), at: NodeIndex(1))
        #expect(try tree.add(members[2].leaf) == LeafIndex(2))
        #expect(tree.leafCount == 4)
        #expect(tree.parentNode(at: NodeIndex(1))?.unmergedLeaves == [], "node 1 is not above leaf 2")
        try tree.remove(LeafIndex(1))
        #expect(tree.leafCount == 4, "leaf 2 still occupies the right half")
        #expect(try tree.add(members[3].leaf) == LeafIndex(1), "the leftmost blank leaf is reused")
        #expect(try tree.add(members[4].leaf) == LeafIndex(3))
    }

    @Test("add records the new leaf as unmerged at every non-blank ancestor, sorted")
    func unmergedOnAdd() throws {
        let suite = try suite1()
        let members = try (0..<4).map { try TestMember(suite: suite, identity: "m\($0)") }
        var tree = RatchetTree(leaf: members[0].leaf)
        try tree.add(members[1].leaf)
        try tree.add(members[2].leaf)
        try tree.setNode(.parent(ParentNode(encryptionKey: [7])), at: NodeIndex(3))
        try tree.add(members[3].leaf)
        #expect(tree.parentNode(at: NodeIndex(3))?.unmergedLeaves == [LeafIndex(3)])
        #expect(tree.resolution(of: NodeIndex(3)) == [NodeIndex(3), NodeIndex(6)])
    }

    @Test("remove blanks the leaf and its direct path, then truncates; removing a blank leaf fails")
    func remove() throws {
        let suite = try suite1()
        let members = try (0..<3).map { try TestMember(suite: suite, identity: "m\($0)") }
        var tree = RatchetTree(leaf: members[0].leaf)
        try tree.add(members[1].leaf)
        try tree.add(members[2].leaf)
        try tree.setNode(.parent(ParentNode(encryptionKey: [7])), at: NodeIndex(3))
        try tree.setNode(.parent(ParentNode(encryptionKey: [8])), at: NodeIndex(5))
        try tree.remove(LeafIndex(2))
        #expect(tree.leafCount == 2, "the empty right half is cut off")
        #expect(tree.nodes.count == 3)
        #expect(throws: RatchetTreeError.blankLeaf(LeafIndex(1))) {
            var copy = tree
            try copy.remove(LeafIndex(1))
            try copy.remove(LeafIndex(1))
        }
        #expect(throws: RatchetTreeError.blankLeaf(LeafIndex(9))) { try tree.remove(LeafIndex(9)) }
    }

    @Test("update replaces the leaf and blanks its direct path")
    func update() throws {
        let suite = try suite1()
        var tree = RatchetTree(leaf: try TestMember(suite: suite, identity: "a").leaf)
        try tree.add(try TestMember(suite: suite, identity: "b").leaf)
        try tree.setNode(.parent(ParentNode(encryptionKey: [7])), at: NodeIndex(1))
        let replacement = try TestMember(suite: suite, identity: "b2").leaf
        try tree.update(LeafIndex(1), with: replacement)
        #expect(tree.leafNode(at: LeafIndex(1)) == replacement)
        #expect(tree.isBlank(NodeIndex(1)))
    }

    // MARK: Validation failures

    @Test("a changed parent hash makes the tree invalid")
    func badParentHash() throws {
        let suite = try suite1()
        let (tree, groupID) = try Self.vectorTree()
        let parentIndex = try #require(tree.nodes.indices.first { $0 % 2 == 1 && tree.nodes[$0] != nil })
        let broken = try Self.mutated(tree, at: NodeIndex(UInt32(parentIndex))) { node in
            if case .parent(var parent) = node {
                parent.parentHash = parent.parentHash.isEmpty ? [0] : parent.parentHash.map { $0 ^ 0xff }
                node = .parent(parent)
            }
        }
        #expect(throws: Never.self) { try tree.validate(suite: suite, groupID: groupID) }
        #expect(throws: RatchetTreeError.self) { try broken.verifyParentHashes(suite: suite) }
        #expect(throws: RatchetTreeError.self) { try broken.validate(suite: suite, groupID: groupID) }
    }

    @Test("a changed parent key breaks the parent-hash chain of the node below")
    func changedParentKey() throws {
        let suite = try suite1()
        let (tree, groupID) = try Self.vectorTree(minimumParents: 2)
        let root = tree.root
        let broken = try Self.mutated(tree, at: root) { node in
            if case .parent(var parent) = node {
                parent.encryptionKey[0] ^= 1
                node = .parent(parent)
            }
        }
        #expect(throws: RatchetTreeError.self) { try broken.validate(suite: suite, groupID: groupID) }
    }

    @Test("a bad leaf signature, or the wrong group ID, is reported for that leaf")
    func badLeafSignature() throws {
        let suite = try suite1()
        let (tree, groupID) = try Self.vectorTree()
        let broken = try Self.mutated(tree, at: NodeIndex(0)) { node in
            if case .leaf(var leaf) = node {
                leaf.signature[0] ^= 1
                node = .leaf(leaf)
            }
        }
        #expect(throws: RatchetTreeError.invalidLeafSignature(LeafIndex(0))) {
            try broken.validate(suite: suite, groupID: groupID)
        }
        #expect(throws: RatchetTreeError.self) { try tree.validate(suite: suite, groupID: groupID + [0]) }
    }

    @Test("the expected tree hash must match")
    func treeHashMismatch() throws {
        let suite = try suite1()
        let (tree, groupID) = try Self.vectorTree()
        #expect(throws: RatchetTreeError.treeHashMismatch) {
            try tree.validate(suite: suite, groupID: groupID, expectedTreeHash: [UInt8](repeating: 0, count: 32))
        }
    }

    @Test("duplicate encryption or signature keys are refused")
    func duplicateKeys() throws {
        let suite = try suite1()
        let a = try TestMember(suite: suite, identity: "a")
        var b = try TestMember(suite: suite, identity: "b")
        b.leaf.encryptionKey = a.leaf.encryptionKey
        try b.leaf.sign(suite: suite, privateKey: b.signatureKeys.privateKey, group: nil)
        let sharedEncryption = try RatchetTree(nodes: [.leaf(a.leaf), nil, .leaf(b.leaf)])
        #expect(throws: RatchetTreeError.duplicateEncryptionKey(NodeIndex(0), NodeIndex(2))) {
            try sharedEncryption.validate(suite: suite, groupID: [])
        }

        var c = a.leaf
        c.encryptionKey = suite.generateHPKEKeyPair().publicKey
        try c.sign(suite: suite, privateKey: a.signatureKeys.privateKey, group: nil)
        let sharedSignature = try RatchetTree(nodes: [.leaf(a.leaf), nil, .leaf(c)])
        #expect(throws: RatchetTreeError.duplicateSignatureKey(LeafIndex(0), LeafIndex(1))) {
            try sharedSignature.validate(suite: suite, groupID: [])
        }

        let distinct = try RatchetTree(nodes: [.leaf(a.leaf), nil, .leaf(try TestMember(suite: suite, identity: "d").leaf)])
        #expect(throws: Never.self) { try distinct.validate(suite: suite, groupID: []) }
    }

    @Test("unmerged leaves must be sorted, occupied, below the node and repeated in between")
    func unmergedLeaves() throws {
        let suite = try suite1()
        let members = try (0..<4).map { try TestMember(suite: suite, identity: "m\($0)").leaf }
        func parent(_ key: UInt8, _ leaves: [UInt32]) -> Node {
            .parent(ParentNode(encryptionKey: [key], unmergedLeaves: leaves.map { LeafIndex($0) }))
        }
        func tree(root: [UInt32], left: [UInt32]? = nil, blankLeaf3: Bool = false) throws -> RatchetTree {
            let leftNode: Node? = left.map { parent(1, $0) }
            let leaf3: Node? = blankLeaf3 ? nil : .leaf(members[3])
            let nodes: [Node?] = [.leaf(members[0]), leftNode, .leaf(members[1]), parent(2, root),
                                  .leaf(members[2]), nil, leaf3]
            return try RatchetTree(nodes: nodes)
        }
        #expect(throws: Never.self) { try tree(root: [1, 3], left: [1]).validateUnmergedLeaves() }
        #expect(throws: RatchetTreeError.unmergedLeavesNotSorted(NodeIndex(3))) {
            try tree(root: [3, 1]).validateUnmergedLeaves()
        }
        #expect(throws: RatchetTreeError.unmergedLeavesNotSorted(NodeIndex(3))) {
            try tree(root: [1, 1]).validateUnmergedLeaves()
        }
        #expect(throws: RatchetTreeError.invalidUnmergedLeaf(parent: NodeIndex(3), leaf: LeafIndex(3))) {
            try tree(root: [3], blankLeaf3: true).validateUnmergedLeaves()
        }
        #expect(throws: RatchetTreeError.invalidUnmergedLeaf(parent: NodeIndex(1), leaf: LeafIndex(2))) {
            try tree(root: [], left: [2]).validateUnmergedLeaves()
        }
        #expect(throws: RatchetTreeError.invalidUnmergedLeaf(parent: NodeIndex(3), leaf: LeafIndex(1))) {
            try tree(root: [1], left: []).validateUnmergedLeaves()
        }
    }
}
