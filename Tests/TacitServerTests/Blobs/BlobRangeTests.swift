import Foundation
import Testing
@testable import TacitServer

@Suite("Blob byte ranges")
struct BlobRangeTests {
    @Test("Range header parsing", arguments: [
        ("bytes=0-499", BlobByteRange.closed(first: 0, last: 499)),
        ("bytes=500-", .from(500)),
        ("bytes=-500", .suffix(500)),
        (" Bytes=7-7 ", .closed(first: 7, last: 7)),
    ])
    func parsing(header: String, expected: BlobByteRange) {
        #expect(BlobByteRange(rangeHeader: header) == expected)
    }

    @Test("headers the store ignores",
          arguments: ["bytes=5-1", "bytes=a-b", "items=0-1", "bytes=0-1,3-4", "bytes=-", "bytes=", "0-1",
                      "bytes=99999999999999999999-", "bytes=+1-2", "bytes=1 -2"])
    func ignored(header: String) {
        #expect(BlobByteRange(rangeHeader: header) == nil)
    }

    @Test("resolution against a 1000-byte blob", arguments: [
        (BlobByteRange.closed(first: 0, last: 99), 0..<100 as Range<UInt64>),
        (.closed(first: 400, last: 599), 400..<600),
        (.from(900), 900..<1000),
        (.suffix(100), 900..<1000),
        (.closed(first: 950, last: 2000), 950..<1000),
        (.suffix(5000), 0..<1000),
        (.closed(first: 999, last: 999), 999..<1000),
    ])
    func resolution(range: BlobByteRange, expected: Range<UInt64>) throws {
        #expect(try range.resolved(length: 1000) == expected)
    }

    @Test("ranges beyond the end are not satisfiable",
          arguments: [BlobByteRange.from(1000), .closed(first: 1500, last: 1600), .suffix(0)])
    func beyond(range: BlobByteRange) {
        #expect(throws: BlobStoreError.rangeNotSatisfiable(length: 1000)) { try range.resolved(length: 1000) }
        #expect(throws: BlobStoreError.rangeNotSatisfiable(length: 0)) { try range.resolved(length: 0) }
    }

    @Test("Content-Range values")
    func contentRange() {
        #expect(BlobByteRange.contentRange(900..<1000, length: 1000) == "bytes 900-999/1000")
        #expect(BlobByteRange.contentRange(0..<1, length: 1) == "bytes 0-0/1")
    }

    @Test("range reads from the store: start, middle, end, beyond")
    func storeReads() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let owner = BlobOwnerID("alice")
        let content = BlobTestBytes.make(600 * 1024)
        let id = try await store.uploadComplete(content, owner: owner)

        let whole = try await store.read(id, range: nil)
        #expect(whole.range == 0..<UInt64(content.count))
        var pieces: [Int] = []
        for try await piece in whole.body { pieces.append(piece.count) }
        #expect(pieces == [256 * 1024, 256 * 1024, 88 * 1024])

        for (range, slice) in [(BlobByteRange.closed(first: 0, last: 9), 0..<10),
                               (.closed(first: 300_000, last: 300_099), 300_000..<300_100),
                               (.suffix(10), content.count - 10..<content.count),
                               (.from(UInt64(content.count) - 1), content.count - 1..<content.count)] {
            let result = try await store.read(id, range: range)
            #expect(result.range == UInt64(slice.lowerBound)..<UInt64(slice.upperBound))
            #expect(try await BlobTestBytes.collect(result.body) == content[slice])
        }
        await #expect(throws: BlobStoreError.rangeNotSatisfiable(length: UInt64(content.count))) {
            try await store.read(id, range: .from(UInt64(content.count)))
        }
    }

    @Test("a download in progress survives the blob's deletion")
    func readAfterDelete() async throws {
        let directory = BlobTestDirectory()
        defer { directory.remove() }
        let store = try FileBlobStore(root: directory.root)
        let owner = BlobOwnerID("alice")
        let content = BlobTestBytes.make(300 * 1024)
        let id = try await store.uploadComplete(content, owner: owner)
        let result = try await store.read(id, range: nil)
        try await store.delete(id, owner: owner)
        #expect(try await BlobTestBytes.collect(result.body) == content)
        await #expect(throws: BlobStoreError.notFound) { try await store.read(id, range: nil) }
    }
}
