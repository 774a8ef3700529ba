import TacitMLS

/// tree-operations.json: Add, Update and Remove applied to a ratchet tree (RFC 9420, Section 12.1).
public enum TreeOperationsVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public let cipher_suite: UInt16
        public let tree_before, proposal: VectorHex
        public let proposal_sender: UInt32
        public let tree_hash_before, tree_after, tree_hash_after: VectorHex
    }

    public static let kind = MLSVectorKind.treeOperations

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        var tree = try decodeExactly(RatchetTree.self, entry.tree_before.bytes, "tree_before")
        try expectEqual(tree.treeHash(suite: suite), entry.tree_hash_before.bytes, "tree_hash_before")
        let proposal = try decodeExactly(Proposal.self, entry.proposal.bytes, "proposal")
        _ = try step("applying the \(proposal.type) proposal") { try tree.apply(proposal, sender: LeafIndex(entry.proposal_sender)) }
        try expectEqual(tree.mlsEncoded, entry.tree_after.bytes, "tree_after")
        try expectEqual(tree.treeHash(suite: suite), entry.tree_hash_after.bytes, "tree_hash_after")
    }
}

/// Decodes `bytes` strictly as `T` and checks the value re-encodes to exactly `bytes`.
func decodeExactly<T: MLSCodable>(_: T.Type, _ bytes: [UInt8], _ name: @autoclosure () -> String) throws(MLSVectorMismatch) -> T {
    let value = try step("decoding \(name())") { try T(mlsEncoded: bytes) }
    try expectEqual(value.mlsEncoded, bytes, "\(name()) re-encoded")
    return value
}
