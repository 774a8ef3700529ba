import Testing
@testable import TacitMLS

@Suite("TreeKEM: creating paths with new members, and refusing bad paths")
struct TreeKEMFailureTests {
    struct Group {
        var tree: RatchetTree
        var members: [TestMember]
        var states: [TreeKEMPrivateState]
        let context: GroupContext
    }

    /// A tree of `count` members where member 0 has just committed, so every member holds keys.
    static func group(_ count: Int, suite: any CipherSuite) throws -> Group {
        let members = try (0..<count).map { try TestMember(suite: suite, identity: "m\($0)") }
        var tree = RatchetTree(leaf: members[0].leaf)
        for member in members.dropFirst() { try tree.add(member.leaf) }
        let context = GroupContext(cipherSuite: suite.id, groupID: Array("group".utf8), epoch: 1, treeHash: [],
                                   confirmedTranscriptHash: [])
        var states = members.enumerated().map { index, member in
            TreeKEMPrivateState(leafIndex: LeafIndex(UInt32(index)), leafKeyPair: member.encryptionKeys)
        }
        let before = tree
        let creation = try tree.createUpdatePath(suite: suite, sender: LeafIndex(0), leafNode: members[0].leaf,
                                                 signaturePrivateKey: members[0].signatureKeys.privateKey,
                                                 provisionalContext: context)
        states[0] = creation.privateState
        for index in 1..<count {
            _ = try states[index].decrypt(creation.updatePath, from: LeafIndex(0), tree: before, mergedTree: tree,
                                          provisionalContext: creation.provisionalContext, suite: suite)
        }
        return Group(tree: tree, members: members, states: states, context: context)
    }

    @Test("members added by the same Commit get no ciphertext but their secret via the path secrets")
    func newMembersExcluded() throws {
        let suite = try suite1()
        var group = try Self.group(3, suite: suite)
        let joiner = try TestMember(suite: suite, identity: "joiner")
        let joinerLeaf = try group.tree.add(joiner.leaf)
        let before = group.tree
        let creation = try group.tree.createUpdatePath(
            suite: suite, sender: LeafIndex(1), leafNode: group.members[1].leaf,
            signaturePrivateKey: group.members[1].signatureKeys.privateKey, provisionalContext: group.context,
            excluding: [joinerLeaf])
        let total = creation.updatePath.nodes.map(\.encryptedPathSecret.count).reduce(0, +)
        let expected = before.filteredDirectPathWithCopath(of: LeafIndex(1))
            .map { before.resolution(of: $0.copathChild, excluding: [joinerLeaf]).count }.reduce(0, +)
        #expect(total == expected)
        #expect(!before.resolution(of: joinerLeaf.nodeIndex).isEmpty)

        // The joiner learns the common ancestor's secret (as a Welcome would carry it).
        let ancestor = group.tree.size.commonAncestor(LeafIndex(1).nodeIndex, joinerLeaf.nodeIndex)
        var joinerState = TreeKEMPrivateState(leafIndex: joinerLeaf, leafKeyPair: joiner.encryptionKeys)
        let secret = try #require(creation.pathSecrets[ancestor])
        let commitSecret = try joinerState.applyPathSecret(secret, at: ancestor, tree: group.tree, suite: suite)
        #expect(commitSecret == creation.commitSecret)

        // Existing members decrypt with the same exclusion.
        for index in [0, 2] {
            var state = group.states[index]
            let result = try state.decrypt(creation.updatePath, from: LeafIndex(1), tree: before, mergedTree: group.tree,
                                           provisionalContext: creation.provisionalContext, suite: suite,
                                           excluding: [joinerLeaf])
            #expect(result.commitSecret == creation.commitSecret)
        }
    }

    static func freshPath(_ group: Group, sender: UInt32, suite: any CipherSuite) throws -> (UpdatePath, GroupContext, RatchetTree) {
        var tree = group.tree
        let creation = try tree.createUpdatePath(
            suite: suite, sender: LeafIndex(sender), leafNode: group.members[Int(sender)].leaf,
            signaturePrivateKey: group.members[Int(sender)].signatureKeys.privateKey, provisionalContext: group.context)
        return (creation.updatePath, creation.provisionalContext, tree)
    }

    @Test("a changed node key fails the leaf's parent hash; the tree is left unchanged")
    func tamperedKey() throws {
        let suite = try suite1()
        let group = try Self.group(4, suite: suite)
        var (path, _, _) = try Self.freshPath(group, sender: 2, suite: suite)
        path.nodes[0].encryptionKey = suite.generateHPKEKeyPair().publicKey
        var tree = group.tree
        #expect(throws: TreeKEMError.parentHashMismatch) { try tree.merge(path, from: LeafIndex(2), suite: suite) }
        #expect(tree == group.tree)
    }

    @Test("wrong path length, non-commit leaf, reused keys and blank senders are refused")
    func shapeErrors() throws {
        let suite = try suite1()
        let group = try Self.group(4, suite: suite)
        let (path, _, _) = try Self.freshPath(group, sender: 2, suite: suite)
        var tree = group.tree

        var short = path
        short.nodes.removeLast()
        #expect(throws: TreeKEMError.pathLengthMismatch(expected: path.nodes.count, found: path.nodes.count - 1)) {
            try tree.merge(short, from: LeafIndex(2), suite: suite)
        }
        var notCommit = path
        notCommit.leafNode.source = .update
        #expect(throws: TreeKEMError.leafSourceNotCommit) { try tree.merge(notCommit, from: LeafIndex(2), suite: suite) }
        var reused = path
        reused.nodes[0].encryptionKey = try #require(group.tree.leafNode(at: LeafIndex(0))).encryptionKey
        #expect(throws: TreeKEMError.duplicateEncryptionKey) { try tree.merge(reused, from: LeafIndex(2), suite: suite) }
        #expect(throws: TreeKEMError.blankSender(LeafIndex(7))) { try tree.merge(path, from: LeafIndex(7), suite: suite) }
    }

    @Test("decryption fails with a different group context or a tampered ciphertext")
    func decryptionFailures() throws {
        let suite = try suite1()
        let group = try Self.group(4, suite: suite)
        let (path, context, merged) = try Self.freshPath(group, sender: 3, suite: suite)
        var state = group.states[0]
        var otherContext = context
        otherContext.epoch += 1
        #expect(throws: TreeKEMError.cryptoFailure(.decryptionFailed)) {
            try state.decrypt(path, from: LeafIndex(3), tree: group.tree, mergedTree: merged,
                              provisionalContext: otherContext, suite: suite)
        }
        var tampered = path
        let last = tampered.nodes.count - 1
        tampered.nodes[last].encryptedPathSecret[0].ciphertext[0] ^= 1
        #expect(throws: TreeKEMError.cryptoFailure(.decryptionFailed)) {
            try state.decrypt(tampered, from: LeafIndex(3), tree: group.tree, mergedTree: merged,
                              provisionalContext: context, suite: suite)
        }
        var missing = path
        missing.nodes[last].encryptedPathSecret.removeAll()
        #expect(throws: TreeKEMError.self) {
            try state.decrypt(missing, from: LeafIndex(3), tree: group.tree, mergedTree: merged,
                              provisionalContext: context, suite: suite)
        }
        #expect(state == group.states[0], "a failed decryption leaves the keys as they were")
        #expect(throws: TreeKEMError.receiverNotCovered(LeafIndex(3))) {
            var sender = group.states[3]
            try sender.decrypt(path, from: LeafIndex(3), tree: group.tree, mergedTree: merged,
                               provisionalContext: context, suite: suite)
        }
    }

    @Test("a key derived from a path secret must match the tree")
    func publicKeyMismatch() throws {
        let suite = try suite1()
        let group = try Self.group(2, suite: suite)
        var state = group.states[1]
        #expect(throws: TreeKEMError.publicKeyMismatch(NodeIndex(1))) {
            try state.applyPathSecret([UInt8](repeating: 1, count: 32), at: NodeIndex(1), tree: group.tree, suite: suite)
        }
    }
}
