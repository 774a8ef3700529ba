/// Why a ratchet tree was malformed, or an operation or check on it failed.
public enum RatchetTreeError: Error, Equatable, Sendable {
    /// The encoded tree had no nodes.
    case empty
    /// The encoded tree ended with a blank node, which senders must trim (Section 12.4.3.3).
    case trailingBlankNode
    /// A leaf position held a parent node or a parent position held a leaf node.
    case nodeTypeMismatch(NodeIndex)
    /// The tree would exceed ``RatchetTree/maximumLeafCount``.
    case tooManyLeaves(UInt64)
    /// The index is outside the tree.
    case indexOutOfRange(NodeIndex)
    /// The leaf is blank where a member was required.
    case blankLeaf(LeafIndex)
    /// A parent node's `unmerged_leaves` is not strictly increasing.
    case unmergedLeavesNotSorted(NodeIndex)
    /// An unmerged leaf is blank, not below the parent, or missing from an intermediate node.
    case invalidUnmergedLeaf(parent: NodeIndex, leaf: LeafIndex)
    /// A non-blank parent node is not parent-hash valid (Section 7.9.2).
    case parentHashInvalid(NodeIndex)
    /// A leaf's signature does not verify.
    case invalidLeafSignature(LeafIndex)
    /// A leaf node failed Section 7.3 validation.
    case invalidLeafNode(LeafIndex, LeafNodeValidationError)
    /// Two nodes share an HPKE encryption key.
    case duplicateEncryptionKey(NodeIndex, NodeIndex)
    /// Two leaves share a signature key.
    case duplicateSignatureKey(LeafIndex, LeafIndex)
    /// The root tree hash is not the expected one.
    case treeHashMismatch
}
