extension RatchetTree {
    /// The resolution of `node` (Section 4.1.1): the non-blank nodes that cover its subtree, in
    /// left-first order. A non-blank node resolves to itself followed by its unmerged leaves.
    ///
    /// - Parameter excluding: Leaves to treat as blank, such as members added by the Commit
    ///   being created or processed (Section 7.6).
    public func resolution(of node: NodeIndex, excluding: Set<LeafIndex> = []) -> [NodeIndex] {
        guard Int(node.rawValue) < nodes.count else { return [] }
        if let leaf = node.leafIndex {
            return self[node] == nil || excluding.contains(leaf) ? [] : [node]
        }
        if let parent = parentNode(at: node) {
            return [node] + parent.unmergedLeaves.filter { !excluding.contains($0) }.map(\.nodeIndex)
        }
        guard let left = node.left, let right = node.right else { return [] }
        return resolution(of: left, excluding: excluding) + resolution(of: right, excluding: excluding)
    }

    /// The filtered direct path of `leaf` (Section 4.1.2): its direct path without the nodes
    /// whose copath child has an empty resolution.
    public func filteredDirectPath(of leaf: LeafIndex, excluding: Set<LeafIndex> = []) -> [NodeIndex] {
        filteredDirectPathWithCopath(of: leaf, excluding: excluding).map(\.parent)
    }

    /// The filtered direct path of `leaf`, each node paired with its copath child.
    public func filteredDirectPathWithCopath(
        of leaf: LeafIndex, excluding: Set<LeafIndex> = []
    ) -> [(parent: NodeIndex, copathChild: NodeIndex)] {
        size.directPathWithCopath(of: leaf).filter { !resolution(of: $0.copathChild, excluding: excluding).isEmpty }
    }
}
