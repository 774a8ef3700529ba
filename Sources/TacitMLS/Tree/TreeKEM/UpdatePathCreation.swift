/// What a committer gets from creating an UpdatePath (RFC 9420, Section 7.5).
public struct UpdatePathCreation: Sendable {
    /// The path to put in the Commit.
    public var updatePath: UpdatePath
    /// `path_secret[n+1]`, the commit secret for the key schedule.
    public var commitSecret: [UInt8]
    /// The committer's private keys for its new leaf and filtered direct path.
    public var privateState: TreeKEMPrivateState
    /// The path secret of each node of the filtered direct path, for new members' GroupSecrets.
    public var pathSecrets: [NodeIndex: [UInt8]]
    /// The provisional GroupContext used to encrypt, with the new tree's hash.
    public var provisionalContext: GroupContext
}

extension RatchetTree {
    /// Refreshes the committer's leaf and direct path and encrypts the new path secrets to the
    /// group (Sections 7.4–7.6). `self` becomes the new tree with the path merged.
    ///
    /// - Parameters:
    ///   - sender: The committer's leaf; it must be occupied (place external joiners first).
    ///   - leafNode: The committer's new leaf content. Its encryption key, source (set to
    ///     `commit` with the computed parent hash) and signature are replaced.
    ///   - signaturePrivateKey: The key that signs the new leaf node.
    ///   - provisionalContext: The new epoch's GroupContext; its `tree_hash` is replaced by the
    ///     hash of the updated tree, and its encoding is the HPKE context.
    ///   - excluding: Members added by this Commit, which receive the path secret by Welcome.
    ///   - pathSecretSeed: `path_secret[0]`; random by default (tests may fix it).
    ///   - knownTreeHashes: Tree hashes of this tree's nodes the caller already holds (`nil`
    ///     when unknown), used for the copath subtrees, which the path leaves unchanged.
    ///   - rootTreeHash: Computes the updated tree's root hash, for a caller that keeps tree
    ///     hashes incrementally; by default it is computed from scratch.
    public mutating func createUpdatePath(
        suite: any CipherSuite,
        sender: LeafIndex,
        leafNode: LeafNode,
        signaturePrivateKey: [UInt8],
        provisionalContext: GroupContext,
        excluding newMembers: Set<LeafIndex> = [],
        pathSecretSeed: [UInt8]? = nil,
        knownTreeHashes: ((NodeIndex) -> [UInt8]?)? = nil,
        rootTreeHash: ((RatchetTree) -> [UInt8])? = nil
    ) throws(TreeKEMError) -> UpdatePathCreation {
        let signingKey: any PreparedSigningKey
        do { signingKey = try suite.preparedSigningKey(privateKey: signaturePrivateKey) } catch let error as CipherSuiteError {
            throw .cryptoFailure(error)
        } catch { throw .cryptoFailure(.invalidPrivateKey) }
        return try createUpdatePath(suite: suite, sender: sender, leafNode: leafNode, signingKey: signingKey,
                                    provisionalContext: provisionalContext, excluding: newMembers, pathSecretSeed: pathSecretSeed,
                                    knownTreeHashes: knownTreeHashes, rootTreeHash: rootTreeHash)
    }

    /// ``createUpdatePath(suite:sender:leafNode:signaturePrivateKey:provisionalContext:excluding:pathSecretSeed:knownTreeHashes:rootTreeHash:)``
    /// with a prepared signing key.
    public mutating func createUpdatePath(
        suite: any CipherSuite,
        sender: LeafIndex,
        leafNode: LeafNode,
        signingKey: any PreparedSigningKey,
        provisionalContext: GroupContext,
        excluding newMembers: Set<LeafIndex> = [],
        pathSecretSeed: [UInt8]? = nil,
        knownTreeHashes: ((NodeIndex) -> [UInt8]?)? = nil,
        rootTreeHash: ((RatchetTree) -> [UInt8])? = nil
    ) throws(TreeKEMError) -> UpdatePathCreation {
        guard self.leafNode(at: sender) != nil else { throw .blankSender(sender) }
        let path = filteredDirectPathWithCopath(of: sender)

        var updated = self
        do { try updated.blankDirectPath(of: sender) } catch { throw .tree(error) }

        // Path secrets and node keys, leaf to root.
        let leafKeyPair = suite.generateHPKEKeyPair()
        var privateState = TreeKEMPrivateState(leafIndex: sender, leafKeyPair: leafKeyPair)
        var pathSecrets: [NodeIndex: [UInt8]] = [:]
        var secret = pathSecretSeed ?? Self.randomSecret(length: suite.hashLength)
        for (node, _) in path {
            pathSecrets[node] = secret
            let pair = try PathSecretDerivation.keyPair(secret, suite: suite)
            privateState.setKeyPair(pair, for: node)
            do { try updated.setNode(.parent(ParentNode(encryptionKey: pair.publicKey)), at: node) } catch { throw .tree(error) }
            secret = try PathSecretDerivation.next(secret, suite: suite)
        }
        let commitSecret = secret

        // Parent hashes root to leaf, then the signed leaf.
        let leafParentHash = try updated.setParentHashes(along: path, suite: suite, knownTreeHashes: knownTreeHashes)
        var newLeaf = leafNode
        newLeaf.encryptionKey = leafKeyPair.publicKey
        newLeaf.source = .commit(parentHash: leafParentHash)
        do {
            try newLeaf.sign(suite: suite, signingKey: signingKey,
                             group: LeafNodeGroupBinding(groupID: provisionalContext.groupID, leafIndex: sender))
        } catch let error as CipherSuiteError { throw .cryptoFailure(error) } catch { throw .cryptoFailure(.signingFailed) }
        do { try updated.setNode(.leaf(newLeaf), at: sender.nodeIndex) } catch { throw .tree(error) }

        var context = provisionalContext
        context.treeHash = rootTreeHash?(updated) ?? updated.treeHash(suite: suite)
        let contextBytes = context.mlsEncoded

        // Encrypt each path secret to the copath child's resolution, without the new members.
        var nodes: [UpdatePathNode] = []
        for (node, copathChild) in path {
            var ciphertexts: [HPKECiphertext] = []
            for recipient in updated.resolution(of: copathChild, excluding: newMembers) {
                guard let key = updated[recipient]?.encryptionKey, let pathSecret = pathSecrets[node] else { continue }
                do {
                    ciphertexts.append(try suite.encryptWithLabel(publicKey: key, label: "UpdatePathNode",
                                                                  context: contextBytes, plaintext: pathSecret))
                } catch let error as CipherSuiteError { throw .cryptoFailure(error) } catch { throw .cryptoFailure(.hpkeFailure) }
            }
            nodes.append(UpdatePathNode(encryptionKey: updated[node]?.encryptionKey ?? [], encryptedPathSecret: ciphertexts))
        }

        self = updated
        return UpdatePathCreation(updatePath: UpdatePath(leafNode: newLeaf, nodes: nodes), commitSecret: commitSecret,
                                  privateState: privateState, pathSecrets: pathSecrets, provisionalContext: context)
    }

    /// Sets the `parent_hash` of each node of a freshly set filtered direct path, root first
    /// (Section 7.9), and returns the parent hash the leaf below must carry.
    mutating func setParentHashes(
        along path: [(parent: NodeIndex, copathChild: NodeIndex)], suite: any CipherSuite,
        knownTreeHashes: ((NodeIndex) -> [UInt8]?)? = nil
    ) throws(TreeKEMError) -> [UInt8] {
        var above: [UInt8] = []
        for (node, copathChild) in path.reversed() {
            guard var parent = parentNode(at: node) else { throw .tree(.indexOutOfRange(node)) }
            parent.parentHash = above
            do { try setNode(.parent(parent), at: node) } catch { throw .tree(error) }
            // The path was just set, so unmerged leaves are empty and the sibling hash is current.
            above = Self.parentHash(encryptionKey: parent.encryptionKey, parentHash: above,
                                    originalSiblingTreeHash: knownTreeHashes?(copathChild) ?? treeHash(of: copathChild, suite: suite),
                                    suite: suite)
        }
        return above
    }

    static func randomSecret(length: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
