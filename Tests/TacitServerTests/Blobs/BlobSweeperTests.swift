import Foundation
import Testing
@testable import TacitServer

@Suite("Blob sweeper")
struct BlobSweeperTests {
    let alice = BlobOwnerID("alice")
    let hour: TimeInterval = 3600
    let day: TimeInterval = 86_400

    @Test("removes fetched, aged and abandoned blobs, and only those")
    func sweep() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let clock = BlobTestClock()
        let store = try FileBlobStore(root: directory.root, now: clock.closure)
        let sweeper = BlobSweeper(store: store)

        let fetched = try await store.uploadComplete(BlobTestBytes.make(10), owner: alice, expectedFetchCount: 2)
        let ageOnly = try await store.uploadComplete(BlobTestBytes.make(20), owner: alice, expectedFetchCount: 0)
        let halfFetched = try await store.uploadComplete(BlobTestBytes.make(30), owner: alice, expectedFetchCount: 2)
        let abandoned = try await store.beginUpload(owner: alice, declaredSize: 100, expectedFetchCount: 1).id
        let resumed = try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 1).id
        #expect(try await sweeper.sweep(now: clock.now).removed.isEmpty)

        _ = try await store.recordFetch(fetched, fetcher: "bob-phone")
        _ = try await store.recordFetch(fetched, fetcher: "bob-phone")
        _ = try await store.recordFetch(halfFetched, fetcher: "bob-phone")
        clock.advance(2 * hour)
        // One distinct fetcher of two: still here.
        #expect(try await sweeper.sweep(now: clock.now).removed.isEmpty)
        let lastFetch = try await store.recordFetch(fetched, fetcher: "bob-laptop")
        #expect(lastFetch.expiresAt == clock.now.addingTimeInterval(hour))
        #expect(try await store.read(fetched, range: nil).info.length == 10)

        clock.advance(hour)
        await #expect(throws: BlobStoreError.notFound) { try await store.read(fetched, range: nil) }
        #expect(try await sweeper.sweep(now: clock.now).removed == [fetched])

        clock.advance(20 * hour)
        _ = try await store.append(resumed, owner: alice, offset: 0, bytes: BlobTestBytes.make(5))
        clock.advance(2 * hour)
        // 25 hours without an append: abandoned. The resumed upload had one 2 hours ago.
        #expect(try await sweeper.sweep(now: clock.now).removed == [abandoned])

        clock.advance(30 * day)
        let late = Set(try await sweeper.sweep(now: clock.now).removed)
        #expect(late == [ageOnly, halfFetched, resumed])
        #expect(try directory.allPaths().allSatisfy { !$0.hasSuffix(".data") && !$0.hasSuffix(".meta") })
        #expect(try await store.bytesInUse(owner: alice) == 0)
    }

    @Test("an upload resumed after it was listed survives the sweep")
    func resumedAfterListing() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let clock = BlobTestClock()
        let store = try FileBlobStore(root: directory.root, now: clock.closure)
        let id = try await store.beginUpload(owner: alice, declaredSize: nil, expectedFetchCount: 0).id
        clock.advance(2 * day)
        #expect(try await store.expiredBlobs(now: clock.now) == [id])
        _ = try await store.append(id, owner: alice, offset: 0, bytes: Data([1]))
        #expect(try await store.removeIfExpired(id, now: clock.now) == false)
        #expect(try await store.info(id, owner: alice).length == 1)
    }

    @Test("old leftovers without a sidecar are removed, fresh ones kept")
    func orphans() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let old = BlobID.random()
        let fresh = BlobID.random()
        for id in [old, fresh] {
            try BlobFileSystem.makeDirectory(store.shardPath(id))
            FileManager.default.createFile(atPath: store.dataPath(id), contents: Data([1, 2, 3]))
        }
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-2 * day)], ofItemAtPath: store.dataPath(old))
        #expect(try await BlobSweeper(store: store).sweep().removed == [old])
        #expect(FileManager.default.fileExists(atPath: store.dataPath(fresh)))
        #expect(!FileManager.default.fileExists(atPath: store.dataPath(old)))
    }

    @Test("a sidecar rewrite cut short by a crash is dropped on open; the old sidecar stands")
    func interruptedSidecarWrite() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let owner = alice
        let id = try await FileBlobStore(root: directory.root).uploadComplete(BlobTestBytes.make(10), owner: owner)
        let store = try FileBlobStore(root: directory.root)
        FileManager.default.createFile(atPath: store.temporaryMetadataPath(id), contents: Data("{\"trunc".utf8))
        let reopened = try FileBlobStore(root: directory.root)
        #expect(!FileManager.default.fileExists(atPath: reopened.temporaryMetadataPath(id)))
        #expect(try await reopened.info(id, owner: nil).length == 10)
    }
}
