import TacitMLS

/// tree-math.json: node counts, roots, children, parents and siblings (RFC 9420, Appendix C).
public enum TreeMathVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public let n_leaves: UInt32
        public let n_nodes: UInt32
        public let root: UInt32
        public let left, right, parent, sibling: [UInt32?]
    }

    public static let kind = MLSVectorKind.treeMath
    public static var usesCipherSuite: Bool { false }

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        try expect(entry.n_leaves > 0, "n_leaves is 0")
        let size = TreeSize(leafCount: entry.n_leaves)
        try expectEqual(size.nodeWidth, entry.n_nodes, "n_nodes")
        try expectEqual(size.root.rawValue, entry.root, "root")
        for (name, list) in [("left", entry.left), ("right", entry.right), ("parent", entry.parent), ("sibling", entry.sibling)] {
            try expectEqual(list.count, Int(entry.n_nodes), "length of \(name)")
        }
        for index in 0..<Int(entry.n_nodes) {
            let node = NodeIndex(UInt32(index))
            try expectEqual(node.left?.rawValue, entry.left[index], "left of node \(index)")
            try expectEqual(node.right?.rawValue, entry.right[index], "right of node \(index)")
            try expectEqual(size.parent(of: node)?.rawValue, entry.parent[index], "parent of node \(index)")
            try expectEqual(size.sibling(of: node)?.rawValue, entry.sibling[index], "sibling of node \(index)")
        }
    }
}
