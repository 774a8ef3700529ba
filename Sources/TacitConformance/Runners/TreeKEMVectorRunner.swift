import TacitMLS

/// treekem.json: every member decrypts every given UpdatePath, and fresh UpdatePaths from each
/// sender decrypt too (RFC 9420, Sections 7.4–7.6).
public enum TreeKEMVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public struct PathSecret: Decodable, Sendable { public let node: UInt32; public let path_secret: VectorHex }
        public struct LeafPrivate: Decodable, Sendable {
            public let index: UInt32
            public let encryption_priv, signature_priv: VectorHex
            public let path_secrets: [PathSecret]
        }
        public struct UpdatePathEntry: Decodable, Sendable {
            public let sender: UInt32
            public let update_path: VectorHex
            public let path_secrets: [VectorHex?]
            public let commit_secret, tree_hash_after: VectorHex
        }
        public let cipher_suite: UInt16
        public let group_id: VectorHex
        public let epoch: UInt64
        public let confirmed_transcript_hash, ratchet_tree: VectorHex
        public let leaves_private: [LeafPrivate]
        public let update_paths: [UpdatePathEntry]
    }

    public static let kind = MLSVectorKind.treeKEM

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        let tree = try decodeExactly(RatchetTree.self, entry.ratchet_tree.bytes, "ratchet_tree")
        let group = Group(entry: entry, suite: suite, tree: tree, states: try privateStates(entry, tree: tree, suite: suite))
        for (number, path) in entry.update_paths.enumerated() {
            try group.checkGiven(path, number)
            try group.checkFresh(from: LeafIndex(path.sender), number)
        }
    }

    /// Each leaf's private state, checked against the tree.
    static func privateStates(_ entry: Entry, tree: RatchetTree, suite: any CipherSuite) throws -> [LeafIndex: TreeKEMPrivateState] {
        var states: [LeafIndex: TreeKEMPrivateState] = [:]
        for leaf in entry.leaves_private {
            var state = try step("private key of leaf \(leaf.index)") {
                try TreeKEMPrivateState(leafIndex: LeafIndex(leaf.index), leafPrivateKey: leaf.encryption_priv.bytes, suite: suite)
            }
            for secret in leaf.path_secrets {
                try step("path secret of node \(secret.node) for leaf \(leaf.index)") {
                    try state.setPathSecret(secret.path_secret.bytes, for: NodeIndex(secret.node), suite: suite)
                }
            }
            try expect(state.isConsistent(with: tree), "private state of leaf \(leaf.index) does not match ratchet_tree")
            states[LeafIndex(leaf.index)] = state
        }
        return states
    }

    /// The tree of one entry with its members' private states.
    struct Group {
        let entry: Entry
        let suite: any CipherSuite
        let tree: RatchetTree
        let states: [LeafIndex: TreeKEMPrivateState]

        func context(treeHash: [UInt8]) -> GroupContext {
            GroupContext(cipherSuite: suite.id, groupID: entry.group_id.bytes, epoch: entry.epoch, treeHash: treeHash,
                         confirmedTranscriptHash: entry.confirmed_transcript_hash.bytes)
        }

        func state(of receiver: LeafIndex) throws -> TreeKEMPrivateState {
            guard let state = states[receiver] else { throw MLSVectorMismatch("leaves_private has no leaf \(receiver.rawValue)") }
            return state
        }

        /// Merges a given UpdatePath; every other member decrypts the vector's path secret and commit secret.
        func checkGiven(_ path: Entry.UpdatePathEntry, _ number: Int) throws {
            let sender = LeafIndex(path.sender)
            let at = "update_paths[\(number)] from leaf \(path.sender)"
            let updatePath = try decodeExactly(UpdatePath.self, path.update_path.bytes, "update_path of \(at)")
            var merged = tree
            try step("merging \(at)") { try merged.merge(updatePath, from: sender, suite: suite) }
            try expectEqual(merged.treeHash(suite: suite), path.tree_hash_after.bytes, "tree_hash_after of \(at)")
            try step("parent hashes after merging \(at)") { try merged.verifyParentHashes(suite: suite) }
            let provisional = context(treeHash: merged.treeHash(suite: suite))
            for receiver in tree.occupiedLeaves where receiver != sender {
                var state = try state(of: receiver)
                let result = try step("leaf \(receiver.rawValue) decrypting \(at)") {
                    try state.decrypt(updatePath, from: sender, tree: tree, mergedTree: merged,
                                      provisionalContext: provisional, suite: suite)
                }
                let index = Int(receiver.rawValue)
                try expect(index < path.path_secrets.count, "\(at) has no path secret for leaf \(index)")
                try expectEqual(result.pathSecret, path.path_secrets[index]?.bytes ?? [],
                                "path secret leaf \(index) decrypts from \(at)")
                try expectEqual(result.commitSecret, path.commit_secret.bytes, "commit secret leaf \(index) derives from \(at)")
                try expect(state.isConsistent(with: merged), "leaf \(index)'s state after \(at) does not match the merged tree")
            }
        }

        /// Creates a fresh UpdatePath from `sender` over the original tree; every other member decrypts it.
        func checkFresh(from sender: LeafIndex, _ number: Int) throws {
            let at = "a fresh path from leaf \(sender.rawValue) (update_paths[\(number)])"
            guard let leaf = tree.leafNode(at: sender) else { throw MLSVectorMismatch("leaf \(sender.rawValue) is blank") }
            guard let signatureKey = entry.leaves_private.first(where: { $0.index == sender.rawValue })?.signature_priv.bytes else {
                throw MLSVectorMismatch("leaves_private has no signature key for leaf \(sender.rawValue)")
            }
            var fresh = tree
            let creation = try step("creating \(at)") {
                try fresh.createUpdatePath(suite: suite, sender: sender, leafNode: leaf, signaturePrivateKey: signatureKey,
                                           provisionalContext: context(treeHash: []))
            }
            try expect(creation.privateState.isConsistent(with: fresh), "the sender's state after \(at) does not match its tree")
            try step("parent hashes after \(at)") { try fresh.verifyParentHashes(suite: suite) }
            try expect(creation.updatePath.leafNode.verifySignature(
                suite: suite, group: LeafNodeGroupBinding(groupID: entry.group_id.bytes, leafIndex: sender)),
                "the leaf node of \(at) is not validly signed")
            try expectEqual(creation.provisionalContext.treeHash, fresh.treeHash(suite: suite), "provisional tree hash of \(at)")

            var received = tree
            try step("merging \(at)") { try received.merge(creation.updatePath, from: sender, suite: suite) }
            try expect(received == fresh, "the tree merged from \(at) differs from the sender's")
            for receiver in tree.occupiedLeaves where receiver != sender {
                var state = try state(of: receiver)
                let result = try step("leaf \(receiver.rawValue) decrypting \(at)") {
                    try state.decrypt(creation.updatePath, from: sender, tree: tree, mergedTree: received,
                                      provisionalContext: creation.provisionalContext, suite: suite)
                }
                try expectEqual(result.commitSecret, creation.commitSecret, "commit secret leaf \(receiver.rawValue) derives from \(at)")
                try expectEqual(result.pathSecret, creation.pathSecrets[result.node] ?? [],
                                "path secret leaf \(receiver.rawValue) decrypts from \(at)")
            }
        }
    }
}
