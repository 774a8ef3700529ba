import Foundation
import Testing
@testable import TacitServer

@Suite("File blob store ids, ownership and file modes")
struct FileBlobStoreAccessTests {
    let alice = BlobOwnerID("alice")
    let mallory = BlobOwnerID("mallory")

    @Test("ids are 256-bit, hex, unique and spread over every digit")
    func idsAreRandom() {
        let ids = (0..<10_000).map { _ in BlobID.random() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hex.utf8.count == 64 && BlobID($0.hex) == $0 })
        // Each of the 64 positions takes all 16 digits across 10,000 ids: no fixed or counting parts.
        for position in 0..<64 {
            let digits = Set(ids.map { Array($0.hex.utf8)[position] })
            #expect(digits.count == 16)
        }
    }

    @Test("id parsing accepts only 64 lowercase hex digits",
          arguments: ["", "abc", String(repeating: "A", count: 64), String(repeating: "a", count: 63),
                      String(repeating: "a", count: 65), "../" + String(repeating: "a", count: 61),
                      String(repeating: "g", count: 64)])
    func idParsing(text: String) {
        #expect(BlobID(text) == nil)
    }

    @Test("store ids are unique per upload")
    func uploadIDs() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        var ids: Set<BlobID> = []
        for _ in 0..<20 { ids.insert(try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 0).id) }
        #expect(ids.count == 20)
    }

    @Test("an unknown id is not found everywhere")
    func unknownID() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let id = BlobID.random()
        await #expect(throws: BlobStoreError.notFound) { try await store.info(id, owner: alice) }
        await #expect(throws: BlobStoreError.notFound) { try await store.append(id, owner: alice, offset: 0, bytes: Data([1])) }
        await #expect(throws: BlobStoreError.notFound) { try await store.finish(id, owner: alice, totalSize: 0, sha256: nil) }
        await #expect(throws: BlobStoreError.notFound) { try await store.read(id, range: nil) }
        await #expect(throws: BlobStoreError.notFound) { try await store.recordFetch(id, fetcher: "d1") }
        await #expect(throws: BlobStoreError.notFound) { try await store.delete(id, owner: alice) }
    }

    @Test("another owner can neither see, append to, finish nor delete an upload")
    func otherOwner() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let id = try await store.beginUpload(owner: alice, declaredSize: 4, expectedFetchCount: 1).id
        await #expect(throws: BlobStoreError.forbidden) { try await store.info(id, owner: mallory) }
        await #expect(throws: BlobStoreError.forbidden) { try await store.info(id, owner: nil) }
        await #expect(throws: BlobStoreError.forbidden) { try await store.append(id, owner: mallory, offset: 0, bytes: Data([1])) }
        _ = try await store.append(id, owner: alice, offset: 0, bytes: Data([1, 2, 3, 4]))
        await #expect(throws: BlobStoreError.forbidden) { try await store.finish(id, owner: mallory, totalSize: 4, sha256: nil) }
        _ = try await store.finish(id, owner: alice, totalSize: 4, sha256: nil)
        await #expect(throws: BlobStoreError.forbidden) { try await store.delete(id, owner: mallory) }

        // Once complete, the id alone lets anyone read.
        #expect(try await store.info(id, owner: mallory).length == 4)
        #expect(try await BlobTestBytes.collect(store.read(id, range: nil).body) == Data([1, 2, 3, 4]))
        try await store.delete(id, owner: alice)
        await #expect(throws: BlobStoreError.notFound) { try await store.read(id, range: nil) }
    }

    @Test("directories are 0700 and files 0600")
    func fileModes() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let id = try await store.uploadComplete(BlobTestBytes.make(100), owner: alice, expectedFetchCount: 2)
        _ = try await store.recordFetch(id, fetcher: "device-1")
        _ = try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 0)

        func mode(_ path: String) throws -> Int {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(directory.root.path) == 0o700)
        let paths = try directory.allPaths()
        #expect([5, 6].contains(paths.count)) // one shard or two, and two files per blob
        for path in paths {
            let full = directory.root.path + "/" + path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            #expect(try mode(full) == (isDirectory.boolValue ? 0o700 : 0o600), "\(path)")
        }
    }

    @Test("fetch counting is per distinct fetcher and hides fetcher names")
    func fetchCounting() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let id = try await store.uploadComplete(BlobTestBytes.make(10), owner: alice, expectedFetchCount: 3)
        #expect(try await store.recordFetch(id, fetcher: "device-1").fetchCount == 1)
        #expect(try await store.recordFetch(id, fetcher: "device-1").fetchCount == 1)
        #expect(try await store.recordFetch(id, fetcher: "device-2").fetchCount == 2)
        let sidecar = try String(contentsOfFile: store.metadataPath(id), encoding: .utf8)
        #expect(!sidecar.contains("device-"))

        let upload = try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 1).id
        await #expect(throws: BlobStoreError.notComplete) { try await store.recordFetch(upload, fetcher: "device-1") }
    }
}
