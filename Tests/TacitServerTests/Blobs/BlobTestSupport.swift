import Foundation
@testable import TacitServer

/// A fresh store root under the system temp dir (the parent stands in for the data dir).
struct BlobTestDirectory {
    let dataDirectory: URL
    var root: URL { dataDirectory.appendingPathComponent("blobs") }

    init() {
        dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-blob-tests-\(UUID().uuidString)")
    }

    func remove() { try? FileManager.default.removeItem(at: dataDirectory) }

    /// Every file and directory below the root, as paths relative to it.
    func allPaths() throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.sorted()
    }
}

/// A clock the test moves by hand.
final class BlobTestClock: @unchecked Sendable {
    // @unchecked: `current` is only touched under `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    var closure: @Sendable () -> Date { { [self] in now } }
}

/// Pieces of bytes as an async sequence; with `failAfter` it throws after that many pieces,
/// like a client that disconnects mid-upload.
struct BlobTestBody: AsyncSequence, Sendable {
    typealias Element = Data
    struct Disconnected: Error {}

    let pieces: [Data]
    var failAfter: Int?
    var delay: Duration?

    init(_ pieces: [Data], failAfter: Int? = nil, delay: Duration? = nil) {
        self.pieces = pieces
        self.failAfter = failAfter
        self.delay = delay
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: BlobTestBody
        var index = 0
        mutating func next() async throws -> Data? {
            if let failAfter = body.failAfter, index == failAfter { throw Disconnected() }
            guard index < body.pieces.count else { return nil }
            if let delay = body.delay { try await Task.sleep(for: delay) }
            defer { index += 1 }
            return body.pieces[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}

enum BlobTestBytes {
    /// `count` bytes of a repeating, position-dependent pattern.
    static func make(_ count: Int, seed: UInt8 = 0) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed) &+ $0 >> 8) })
    }

    static func collect(_ stream: BlobByteStream) async throws -> Data {
        var data = Data()
        for try await piece in stream { data.append(piece) }
        return data
    }
}

extension FileBlobStore {
    /// Uploads `bytes` in one append and finishes; returns the id.
    func uploadComplete(_ bytes: Data, owner: BlobOwnerID, expectedFetchCount: Int = 0) async throws -> BlobID {
        let info = try await beginUpload(owner: owner, declaredSize: UInt64(bytes.count), expectedFetchCount: expectedFetchCount)
        _ = try await append(info.id, owner: owner, offset: 0, bytes: bytes)
        _ = try await finish(info.id, owner: owner, totalSize: UInt64(bytes.count), sha256: nil)
        return info.id
    }
}
