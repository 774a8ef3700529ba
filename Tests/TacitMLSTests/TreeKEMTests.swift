import Testing
import TacitConformance

@Suite("TreeKEM (treekem.json)")
struct TreeKEMTests {
    @Test("every entry: every leaf decrypts every given path; fresh paths from every sender decrypt too")
    func vectors() throws {
        try expectVectorsPass(TreeKEMVectorRunner.self, "treekem.json", entries: 22)
    }
}
