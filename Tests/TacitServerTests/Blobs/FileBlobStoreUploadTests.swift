import Crypto
import Foundation
import Testing
@testable import TacitServer

@Suite("File blob store uploads")
struct FileBlobStoreUploadTests {
    let alice = BlobOwnerID("alice")

    @Test("an upload in pieces resumes after the store is reopened, dropping unconfirmed bytes")
    func resumeAfterCrash() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let content = BlobTestBytes.make(300_000)
        var store: FileBlobStore? = try FileBlobStore(root: directory.root)
        let id = try #require(try await store?.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 1)).id
        var offset: UInt64 = 0
        for piece in [0..<1000, 1000..<70_000, 70_000..<120_000] {
            offset = try #require(try await store?.append(id, owner: alice, offset: offset, bytes: content[piece]))
        }
        #expect(offset == 120_000)
        store = nil

        // A process killed mid-append leaves bytes past the confirmed length.
        let dataPath = directory.root.path + "/" + id.hex.prefix(2) + "/" + id.hex + ".data"
        let handle = try #require(FileHandle(forWritingAtPath: dataPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0xEE, count: 5000))
        try handle.close()

        let reopened = try FileBlobStore(root: directory.root)
        let info = try await reopened.info(id, owner: alice)
        #expect(info.state == .uploading)
        #expect(info.length == 120_000)
        #expect(try await reopened.bytesInUse(owner: alice) == 120_000)
        #expect(try await reopened.append(id, owner: alice, offset: 120_000, bytes: content[120_000...]) == 300_000)
        let finished = try await reopened.finish(
            id, owner: alice, totalSize: 300_000, sha256: Data(SHA256.hash(data: content)))
        #expect(finished.state == .complete)
        #expect(finished.sha256 == Data(SHA256.hash(data: content)))
        let read = try await reopened.read(id, range: nil)
        #expect(try await BlobTestBytes.collect(read.body) == content)
    }

    @Test("a body that breaks off part way keeps what arrived")
    func brokenBody() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let id = try await store.beginUpload(owner: alice, declaredSize: 30, expectedFetchCount: 0).id
        let pieces = [BlobTestBytes.make(10, seed: 1), BlobTestBytes.make(10, seed: 2), BlobTestBytes.make(10, seed: 3)]
        await #expect(throws: BlobTestBody.Disconnected.self) {
            try await store.append(id, owner: alice, offset: 0, body: BlobTestBody(pieces, failAfter: 2))
        }
        #expect(try await store.info(id, owner: alice).length == 20)
        #expect(try await store.append(id, owner: alice, offset: 20, body: BlobTestBody([pieces[2]])) == 30)
        _ = try await store.finish(id, owner: alice, totalSize: 30, sha256: nil)
        #expect(try await BlobTestBytes.collect(store.read(id, range: nil).body) == pieces.reduce(Data(), +))
    }

    @Test("an append at the wrong offset is refused with the confirmed length", arguments: [0, 9, 11, 1000])
    func wrongOffset(offset: UInt64) async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let id = try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 0).id
        _ = try await store.append(id, owner: alice, offset: 0, bytes: BlobTestBytes.make(10))
        await #expect(throws: BlobStoreError.offsetMismatch(currentLength: 10)) {
            try await store.append(id, owner: alice, offset: offset, bytes: Data([1]))
        }
        #expect(try await store.info(id, owner: alice).length == 10)
    }

    @Test("finish checks the declared size")
    func finishSizes() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let undeclared = try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 0).id
        _ = try await store.append(undeclared, owner: alice, offset: 0, bytes: BlobTestBytes.make(10))
        await #expect(throws: BlobStoreError.sizeMismatch(expected: 5, actual: 10)) {
            try await store.finish(undeclared, owner: alice, totalSize: 5, sha256: nil)
        }
        let declared = try await store.beginUpload(owner: alice, declaredSize: 100, expectedFetchCount: 0).id
        _ = try await store.append(declared, owner: alice, offset: 0, bytes: BlobTestBytes.make(10))
        await #expect(throws: BlobStoreError.sizeMismatch(expected: 100, actual: 10)) {
            try await store.finish(declared, owner: alice, totalSize: 10, sha256: nil)
        }
        await #expect(throws: BlobStoreError.sizeMismatch(expected: 100, actual: 10)) {
            try await store.finish(declared, owner: alice, totalSize: 100, sha256: nil)
        }
        await #expect(throws: BlobStoreError.notComplete) { try await store.read(declared, range: nil) }
    }

    @Test("a wrong SHA-256 deletes the upload and frees its quota")
    func digestMismatch() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let id = try await store.beginUpload(owner: alice, declaredSize: 10, expectedFetchCount: 0).id
        _ = try await store.append(id, owner: alice, offset: 0, bytes: BlobTestBytes.make(10))
        await #expect(throws: BlobStoreError.digestMismatch) {
            try await store.finish(id, owner: alice, totalSize: 10, sha256: Data(repeating: 0, count: 32))
        }
        await #expect(throws: BlobStoreError.notFound) { try await store.info(id, owner: alice) }
        #expect(try await store.bytesInUse(owner: alice) == 0)
        #expect(try directory.allPaths().allSatisfy { !$0.contains(id.hex) })
    }

    @Test("finish is idempotent; a finished blob takes no more bytes")
    func finishTwice() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let content = BlobTestBytes.make(64)
        let digest = Data(SHA256.hash(data: content))
        let id = try await store.beginUpload(owner: alice, declaredSize: 64, expectedFetchCount: 0).id
        _ = try await store.append(id, owner: alice, offset: 0, bytes: content)
        let first = try await store.finish(id, owner: alice, totalSize: 64, sha256: nil)
        #expect(try await store.finish(id, owner: alice, totalSize: 64, sha256: digest) == first)
        await #expect(throws: BlobStoreError.alreadyComplete) {
            try await store.finish(id, owner: alice, totalSize: 64, sha256: Data(repeating: 1, count: 32))
        }
        await #expect(throws: BlobStoreError.alreadyComplete) {
            try await store.finish(id, owner: alice, totalSize: 65, sha256: nil)
        }
        await #expect(throws: BlobStoreError.alreadyComplete) {
            try await store.append(id, owner: alice, offset: 64, bytes: Data([1]))
        }
        await #expect(throws: BlobStoreError.invalidArgument("sha256 must be 32 bytes")) {
            try await store.finish(id, owner: alice, totalSize: 64, sha256: Data([1]))
        }
    }

    @Test("a second append while one is running is refused as busy")
    func concurrentAppend() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let owner = alice
        let id = try await store.beginUpload(owner: owner, declaredSize: nil, expectedFetchCount: 0).id
        let slow = Task {
            try await store.append(id, owner: owner, offset: 0, body: BlobTestBody(
                [BlobTestBytes.make(10), BlobTestBytes.make(10)], delay: .milliseconds(300)))
        }
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: BlobStoreError.busy) { try await store.append(id, owner: owner, offset: 0, bytes: Data([1])) }
        await #expect(throws: BlobStoreError.busy) { try await store.finish(id, owner: owner, totalSize: 20, sha256: nil) }
        #expect(try await slow.value == 20)
        #expect(try await store.append(id, owner: owner, offset: 20, bytes: Data([1])) == 21)
    }
}
