/// Why creating, merging or decrypting an UpdatePath failed (RFC 9420, Sections 7.4–7.6).
public enum TreeKEMError: Error, Equatable, Sendable {
    /// The sender's leaf is blank or outside the tree.
    case blankSender(LeafIndex)
    /// The UpdatePath has a different number of nodes than the sender's filtered direct path.
    case pathLengthMismatch(expected: Int, found: Int)
    /// A node carries a different number of ciphertexts than its copath resolution has nodes.
    case ciphertextCountMismatch(NodeIndex, expected: Int, found: Int)
    /// The new leaf's `parent_hash` does not match the one computed from the path.
    case parentHashMismatch
    /// The new leaf node's source is not `commit`.
    case leafSourceNotCommit
    /// A public key of the UpdatePath is already in the tree, or appears twice in the path.
    case duplicateEncryptionKey
    /// The receiver is the sender, or is not below any node of the sender's filtered direct path.
    case receiverNotCovered(LeafIndex)
    /// The receiver holds no private key for any node of the copath resolution it must decrypt from.
    case noPrivateKeyForResolution(NodeIndex)
    /// A key derived from a path secret is not the public key the tree holds for that node.
    case publicKeyMismatch(NodeIndex)
    /// A cryptographic operation failed.
    case cryptoFailure(CipherSuiteError)
    /// The tree could not be changed as required.
    case tree(RatchetTreeError)
}
