/// What a receiver learns from an UpdatePath.
public struct UpdatePathDecryption: Hashable, Sendable {
    /// The node of the sender's filtered direct path whose secret was decrypted (the lowest
    /// one above the receiver).
    public var node: NodeIndex
    /// That node's path secret.
    public var pathSecret: [UInt8]
    /// The commit secret, `path_secret[n+1]`.
    public var commitSecret: [UInt8]
}

extension TreeKEMPrivateState {
    /// Decrypts the path secret meant for this member and derives the keys of the sender's
    /// filtered direct path above it (Section 7.5, "decrypts the path secrets").
    ///
    /// - Parameters:
    ///   - tree: The tree *before* ``RatchetTree/merge(_:from:suite:)`` (the ciphertexts
    ///     follow its resolutions).
    ///   - mergedTree: The tree after merging, whose keys the derived ones must match.
    ///   - provisionalContext: The provisional GroupContext, with the merged tree's hash.
    ///   - excluding: Members added by the same Commit, left out of the resolutions.
    public mutating func decrypt(
        _ updatePath: UpdatePath, from sender: LeafIndex, tree: RatchetTree, mergedTree: RatchetTree,
        provisionalContext: GroupContext, suite: any CipherSuite, excluding newMembers: Set<LeafIndex> = []
    ) throws(TreeKEMError) -> UpdatePathDecryption {
        guard sender != leafIndex else { throw .receiverNotCovered(leafIndex) }
        let path = tree.filteredDirectPathWithCopath(of: sender)
        guard path.count == updatePath.nodes.count else {
            throw .pathLengthMismatch(expected: path.count, found: updatePath.nodes.count)
        }
        guard let position = path.firstIndex(where: { $0.copathChild.subtreeContains(leafIndex.nodeIndex) }) else {
            throw .receiverNotCovered(leafIndex)
        }
        let (node, copathChild) = path[position]
        let resolution = tree.resolution(of: copathChild, excluding: newMembers)
        let ciphertexts = updatePath.nodes[position].encryptedPathSecret
        guard ciphertexts.count == resolution.count else {
            throw .ciphertextCountMismatch(node, expected: resolution.count, found: ciphertexts.count)
        }
        // Only the receiver's own leaf or an ancestor of it can be in this resolution with a key we hold.
        let held = resolution.firstIndex { node in
            guard let pair = keyPairs[node] else { return false }
            return tree[node]?.encryptionKey == pair.publicKey
        }
        guard let slot = held,
              let privateKey = keyPairs[resolution[slot]]?.privateKey else {
            throw .noPrivateKeyForResolution(copathChild)
        }
        let pathSecret: [UInt8]
        do {
            pathSecret = try suite.decryptWithLabel(privateKey: privateKey, label: "UpdatePathNode",
                                                    context: provisionalContext.mlsEncoded, ciphertext: ciphertexts[slot])
        } catch let error as CipherSuiteError { throw .cryptoFailure(error) } catch { throw .cryptoFailure(.decryptionFailed) }

        var next = self
        next.prune(to: mergedTree)
        let commitSecret = try next.applyPathSecret(pathSecret, at: node, tree: mergedTree, suite: suite)
        self = next
        return UpdatePathDecryption(node: node, pathSecret: pathSecret, commitSecret: commitSecret)
    }
}
