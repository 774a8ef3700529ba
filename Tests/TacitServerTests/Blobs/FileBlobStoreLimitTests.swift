import Foundation
import Testing
@testable import TacitServer

@Suite("File blob store quota and size limits")
struct FileBlobStoreLimitTests {
    let alice = BlobOwnerID("alice")
    let bob = BlobOwnerID("bob")

    @Test("bytes over the owner's quota are refused, at begin and on append")
    func quota() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let limits = BlobLimits(quotaPerOwner: 1000)
        let store = try FileBlobStore(root: directory.root, limits: limits)

        let declared = try await store.beginUpload(owner: alice, declaredSize: 600, expectedFetchCount: 0).id
        #expect(try await store.bytesInUse(owner: alice) == 600)
        await #expect(throws: BlobStoreError.quotaExceeded(bytesInUse: 600, quota: 1000)) {
            try await store.beginUpload(owner: alice, declaredSize: 401, expectedFetchCount: 0)
        }
        let open = try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 0).id
        #expect(try await store.append(open, owner: alice, offset: 0, bytes: BlobTestBytes.make(300)) == 300)
        await #expect(throws: BlobStoreError.quotaExceeded(bytesInUse: 900, quota: 1000)) {
            try await store.append(open, owner: alice, offset: 300, bytes: BlobTestBytes.make(101))
        }
        #expect(try await store.info(open, owner: alice).length == 300)
        #expect(try await store.bytesInUse(owner: alice) == 900)
        // Another owner's quota is separate.
        _ = try await store.beginUpload(owner: bob, declaredSize: 1000, expectedFetchCount: 0)

        // A streamed append stops at the piece that would cross the quota; earlier pieces stay.
        await #expect(throws: BlobStoreError.quotaExceeded(bytesInUse: 950, quota: 1000)) {
            try await store.append(open, owner: alice, offset: 300, body: BlobTestBody(
                [BlobTestBytes.make(50), BlobTestBytes.make(60)]))
        }
        #expect(try await store.info(open, owner: alice).length == 350)

        try await store.delete(declared, owner: alice)
        #expect(try await store.bytesInUse(owner: alice) == 350)
        #expect(try await store.append(open, owner: alice, offset: 350, bytes: BlobTestBytes.make(650)) == 1000)

        // The ledger is rebuilt from the sidecars when the store is opened again.
        let reopened = try FileBlobStore(root: directory.root, limits: limits)
        #expect(try await reopened.bytesInUse(owner: alice) == 1000)
        #expect(try await reopened.bytesInUse(owner: bob) == 1000)
        await #expect(throws: BlobStoreError.quotaExceeded(bytesInUse: 1000, quota: 1000)) {
            try await reopened.beginUpload(owner: alice, declaredSize: 1, expectedFetchCount: 0)
        }
    }

    @Test("blobs over the maximum or declared size are refused")
    func maxSize() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root, limits: BlobLimits(maxBlobSize: 1000))
        #expect(BlobLimits().maxBlobSize == 2 << 30)

        await #expect(throws: BlobStoreError.tooLarge(limit: 1000)) {
            try await store.beginUpload(owner: alice, declaredSize: 1001, expectedFetchCount: 0)
        }
        let open = try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 0).id
        _ = try await store.append(open, owner: alice, offset: 0, bytes: BlobTestBytes.make(600))
        await #expect(throws: BlobStoreError.tooLarge(limit: 1000)) {
            try await store.append(open, owner: alice, offset: 600, bytes: BlobTestBytes.make(401))
        }
        await #expect(throws: BlobStoreError.tooLarge(limit: 1000)) {
            try await store.append(open, owner: alice, offset: 600, body: BlobTestBody(
                [BlobTestBytes.make(300), BlobTestBytes.make(300)]))
        }
        #expect(try await store.info(open, owner: alice).length == 900)
        #expect(try await store.append(open, owner: alice, offset: 900, bytes: BlobTestBytes.make(100)) == 1000)

        let declared = try await store.beginUpload(owner: alice, declaredSize: 500, expectedFetchCount: 0).id
        await #expect(throws: BlobStoreError.tooLarge(limit: 500)) {
            try await store.append(declared, owner: alice, offset: 0, bytes: BlobTestBytes.make(501))
        }
        #expect(try await store.info(declared, owner: alice).length == 0)
    }

    @Test("the expected fetch count is range checked")
    func fetchCountRange() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root, limits: BlobLimits(maxExpectedFetchCount: 50))
        for count in [-1, 51] {
            await #expect(throws: BlobStoreError.self) {
                try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: count)
            }
        }
        #expect(try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 50).expectedFetchCount == 50)
    }
}
