/// The private keys one member holds for nodes of the ratchet tree: its leaf and the parent
/// nodes on its direct path whose path secrets it learned (RFC 9420, Section 4.2).
///
/// Kept apart from ``RatchetTree`` so the public tree can be shared, hashed and encoded freely.
public struct TreeKEMPrivateState: Hashable, Sendable, CustomStringConvertible {
    /// The member's leaf.
    public let leafIndex: LeafIndex
    /// HPKE key pairs by node; always includes the leaf.
    public private(set) var keyPairs: [NodeIndex: HPKEKeyPair]

    /// A state holding only the leaf's key pair.
    public init(leafIndex: LeafIndex, leafKeyPair: HPKEKeyPair) {
        self.leafIndex = leafIndex
        keyPairs = [leafIndex.nodeIndex: leafKeyPair]
    }

    /// A state for the leaf's private key; the public key is derived.
    public init(leafIndex: LeafIndex, leafPrivateKey: [UInt8], suite: any CipherSuite) throws(TreeKEMError) {
        do {
            let publicKey = try suite.hpkePublicKey(privateKey: leafPrivateKey)
            self.init(leafIndex: leafIndex, leafKeyPair: HPKEKeyPair(privateKey: leafPrivateKey, publicKey: publicKey))
        } catch let error as CipherSuiteError { throw .cryptoFailure(error) } catch { throw .cryptoFailure(.invalidPrivateKey) }
    }

    /// The private key for `node`, if held.
    public func privateKey(for node: NodeIndex) -> [UInt8]? { keyPairs[node]?.privateKey }

    /// Stores the key pair derived from `pathSecret` for `node`.
    public mutating func setPathSecret(_ pathSecret: [UInt8], for node: NodeIndex, suite: any CipherSuite) throws(TreeKEMError) {
        keyPairs[node] = try PathSecretDerivation.keyPair(pathSecret, suite: suite)
    }

    /// Stores a key pair for `node`.
    public mutating func setKeyPair(_ keyPair: HPKEKeyPair, for node: NodeIndex) { keyPairs[node] = keyPair }

    /// Drops keys for nodes that are blank in `tree` or whose public key changed, so replaced
    /// keys are deleted as Section 7.5 requires.
    public mutating func prune(to tree: RatchetTree) {
        keyPairs = keyPairs.filter { node, pair in tree[node]?.encryptionKey == pair.publicKey }
    }

    /// Whether every held key belongs to a non-blank node of `tree` with the matching public key.
    public func isConsistent(with tree: RatchetTree) -> Bool {
        keyPairs.allSatisfy { node, pair in tree[node]?.encryptionKey == pair.publicKey }
    }

    /// Applies a path secret learned for `node` (from an UpdatePath or a Welcome's GroupSecrets):
    /// derives keys for it and every non-blank ancestor, checking each against `tree`.
    ///
    /// - Returns: The secret after the last node: the commit secret when `node` lies on the
    ///   committer's filtered direct path.
    @discardableResult
    public mutating func applyPathSecret(
        _ pathSecret: [UInt8], at node: NodeIndex, tree: RatchetTree, suite: any CipherSuite
    ) throws(TreeKEMError) -> [UInt8] {
        var secret = pathSecret
        for target in [node] + tree.size.directPath(of: node) where !tree.isBlank(target) || target == node {
            let pair = try PathSecretDerivation.keyPair(secret, suite: suite)
            guard tree[target]?.encryptionKey == pair.publicKey else { throw .publicKeyMismatch(target) }
            keyPairs[target] = pair
            secret = try PathSecretDerivation.next(secret, suite: suite)
        }
        return secret
    }

    public var description: String { "TreeKEMPrivateState(\(leafIndex), \(keyPairs.count) keys, redacted)" }
}
