extension RatchetTree {
    /// Adds a member (Section 12.1.1): the leftmost blank leaf, or a new one after extending
    /// the tree, receives `leaf`, and the leaf becomes unmerged at every non-blank parent above it.
    ///
    /// - Returns: The leaf index the new member occupies.
    @discardableResult
    public mutating func add(_ leaf: LeafNode) throws(RatchetTreeError) -> LeafIndex {
        let index: LeafIndex
        if let blank = (0..<leafCount).first(where: { leafNode(at: LeafIndex($0)) == nil }) {
            index = LeafIndex(blank)
        } else {
            index = LeafIndex(leafCount)
            try extend()
        }
        for ancestor in size.directPath(of: index.nodeIndex) {
            guard var parent = parentNode(at: ancestor) else { continue }
            parent.addUnmerged(index)
            try setNode(.parent(parent), at: ancestor)
        }
        try setNode(.leaf(leaf), at: index.nodeIndex)
        return index
    }

    /// Replaces a member's leaf and blanks its direct path (Section 12.1.2).
    public mutating func update(_ index: LeafIndex, with leaf: LeafNode) throws(RatchetTreeError) {
        guard leafNode(at: index) != nil else { throw .blankLeaf(index) }
        try setNode(.leaf(leaf), at: index.nodeIndex)
        try blankDirectPath(of: index)
    }

    /// Removes a member (Section 12.1.3): blanks its leaf and direct path, then truncates the tree.
    public mutating func remove(_ index: LeafIndex) throws(RatchetTreeError) {
        guard leafNode(at: index) != nil else { throw .blankLeaf(index) }
        try setNode(nil, at: index.nodeIndex)
        try blankDirectPath(of: index)
        truncate()
    }

    /// Blanks every parent node on the direct path of `index`.
    public mutating func blankDirectPath(of index: LeafIndex) throws(RatchetTreeError) {
        guard size.contains(index) else { throw .indexOutOfRange(index.nodeIndex) }
        for ancestor in size.directPath(of: index.nodeIndex) { try setNode(nil, at: ancestor) }
    }

    /// Applies an Add, Update or Remove proposal from the member at `sender`; other proposal
    /// types leave the tree unchanged.
    ///
    /// - Returns: The new member's leaf for an Add, else `nil`.
    @discardableResult
    public mutating func apply(_ proposal: Proposal, sender: LeafIndex) throws(RatchetTreeError) -> LeafIndex? {
        switch proposal {
        case .add(let add):
            return try self.add(add.keyPackage.leafNode)
        case .update(let update):
            try self.update(sender, with: update.leafNode)
        case .remove(let remove):
            try self.remove(remove.removed)
        case .preSharedKey, .reInit, .externalInit, .groupContextExtensions:
            break
        }
        return nil
    }
}
