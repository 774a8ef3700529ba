/// The group a leaf node's signature is bound to, for `update` and `commit` leaves (RFC 9420, Section 7.2).
public struct LeafNodeGroupBinding: Hashable, Sendable {
    /// The group's identifier.
    public var groupID: [UInt8]
    /// The leaf's position in that group's tree.
    public var leafIndex: LeafIndex

    /// Creates a value from its fields.
    public init(groupID: [UInt8], leafIndex: LeafIndex) {
        self.groupID = groupID
        self.leafIndex = leafIndex
    }
}
