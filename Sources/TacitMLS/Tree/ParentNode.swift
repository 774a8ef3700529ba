/// The public contents of a non-blank parent node of the ratchet tree (RFC 9420, Section 7.1).
///
/// ```
/// struct {
///     HPKEPublicKey encryption_key;
///     opaque parent_hash<V>;
///     uint32 unmerged_leaves<V>;
/// } ParentNode;
/// ```
public struct ParentNode: Hashable, Sendable, MLSCodable {
    /// The node's HPKE public key; its private key is known to the merged leaves below.
    public var encryptionKey: HPKEPublicKey
    /// The parent hash of the next node up the filtered direct path it was set with.
    public var parentHash: [UInt8]
    /// Leaves below this node that do not know its private key, in increasing order.
    public var unmergedLeaves: [LeafIndex]

    /// Creates a value from its fields.
    public init(encryptionKey: HPKEPublicKey, parentHash: [UInt8] = [], unmergedLeaves: [LeafIndex] = []) {
        self.encryptionKey = encryptionKey
        self.parentHash = parentHash
        self.unmergedLeaves = unmergedLeaves
    }

    /// Adds `leaf` to ``unmergedLeaves``, keeping the list sorted and free of duplicates.
    mutating func addUnmerged(_ leaf: LeafIndex) {
        guard !unmergedLeaves.contains(leaf) else { return }
        let position = unmergedLeaves.firstIndex { $0 > leaf } ?? unmergedLeaves.endIndex
        unmergedLeaves.insert(leaf, at: position)
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(encryptionKey)
        encoder.writeOpaque(parentHash)
        encoder.writeVector(unmergedLeaves)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        encryptionKey = try decoder.readOpaque()
        parentHash = try decoder.readOpaque()
        unmergedLeaves = try decoder.readVector()
    }
}
