/// Why a leaf node could not be signed or was rejected.
public enum LeafNodeError: Error, Equatable, Sendable {
    /// An `update` or `commit` leaf needs the group ID and leaf index to be signed or verified.
    case missingGroupBinding
}
