import TacitMLS

/// tree-validation.json: resolutions, tree hashes, parent hashes and leaf signatures (RFC 9420, Sections 4.1.1, 7.8 and 7.9).
public enum TreeValidationVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public let cipher_suite: UInt16
        public let tree, group_id: VectorHex
        public let resolutions: [[UInt32]]
        public let tree_hashes: [VectorHex]
    }

    public static let kind = MLSVectorKind.treeValidation

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        let tree = try decodeExactly(RatchetTree.self, entry.tree.bytes, "tree")
        try expectEqual(entry.resolutions.count, tree.nodes.count, "number of resolutions")
        try expectEqual(entry.tree_hashes.count, tree.nodes.count, "number of tree hashes")
        for (index, expected) in entry.resolutions.enumerated() {
            try expectEqual(tree.resolution(of: NodeIndex(UInt32(index))).map(\.rawValue), expected, "resolution of node \(index)")
        }
        let hashes = tree.allTreeHashes(suite: suite)
        for (index, expected) in entry.tree_hashes.enumerated() {
            try expectEqual(hashes[index], expected.bytes, "tree hash of node \(index)")
            try expectEqual(tree.treeHash(of: NodeIndex(UInt32(index)), suite: suite), expected.bytes,
                            "tree hash of node \(index), computed alone")
        }
        try step("validating the tree (parent hashes, leaf signatures)") {
            try tree.validate(suite: suite, groupID: entry.group_id.bytes, expectedTreeHash: hashes[Int(tree.root.rawValue)],
                              currentTime: context.options.checkLifetimes ? MLSVectorContext.now : nil)
        }
    }
}
