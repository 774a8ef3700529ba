import Testing
import TacitConformance

@Suite("Tree validation (tree-validation.json)")
struct TreeValidationTests {
    typealias Entry = TreeValidationVectorRunner.Entry

    @Test("every entry: codec, resolutions, tree hashes, parent hashes and leaf signatures")
    func vectors() throws {
        try expectVectorsPass(TreeValidationVectorRunner.self, "tree-validation.json", entries: 28)
    }
}
