import Testing
import TacitConformance
@testable import TacitMLS

@Suite("Tree math (RFC 9420 Appendix C)")
struct TreeMathTests {
    @Test("tree-math.json: every entry and every node")
    func vectors() throws {
        try expectVectorsPass(TreeMathVectorRunner.self, "tree-math.json", entries: 10)
    }

    @Test("direct path and copath agree with parent and sibling", arguments: [1, 2, 4, 8, 32] as [UInt32])
    func paths(leafCount: UInt32) {
        let size = TreeSize(leafCount: leafCount)
        for i in 0..<size.nodeWidth {
            let node = NodeIndex(i)
            let path = size.directPath(of: node)
            let copath = size.copath(of: node)
            #expect(path.count == copath.count)
            #expect(path.last == (node == size.root ? nil : size.root))
            var current = node
            for (ancestor, sibling) in zip(path, copath) {
                #expect(size.parent(of: current) == ancestor)
                #expect(size.sibling(of: current) == sibling)
                #expect(ancestor.subtreeContains(node))
                #expect(!sibling.subtreeContains(node))
                current = ancestor
            }
        }
    }

    @Test("leaf and node indices convert both ways")
    func leafNodeConversion() {
        #expect(LeafIndex(5).nodeIndex == NodeIndex(10))
        #expect(NodeIndex(10).leafIndex == LeafIndex(5))
        #expect(NodeIndex(7).leafIndex == nil)
        #expect(NodeIndex(7).level == 3)
        #expect(NodeIndex(0).left == nil)
    }

    @Test("common ancestor is the lowest shared ancestor")
    func commonAncestor() {
        let size = TreeSize(leafCount: 8)
        #expect(size.commonAncestor(NodeIndex(0), NodeIndex(2)) == NodeIndex(1))
        #expect(size.commonAncestor(NodeIndex(0), NodeIndex(14)) == NodeIndex(7))
        #expect(size.commonAncestor(NodeIndex(8), NodeIndex(12)) == NodeIndex(11))
        #expect(size.commonAncestor(NodeIndex(5), NodeIndex(4)) == NodeIndex(5))
    }

    @Test("nodes outside the tree have no parent, so upward walks end")
    func outside() {
        let size = TreeSize(leafCount: 4)
        #expect(size.parent(of: NodeIndex(9)) == nil)
        #expect(size.directPath(of: NodeIndex(100)).isEmpty)
    }
}
