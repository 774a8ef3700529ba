import Testing
import TacitConformance

@Suite("Tree operations (tree-operations.json and Section 7.7)")
struct TreeOperationsTests {
    @Test("every entry: apply the proposal and compare tree and tree hash")
    func vectors() throws {
        try expectVectorsPass(TreeOperationsVectorRunner.self, "tree-operations.json", entries: 5)
    }
}
