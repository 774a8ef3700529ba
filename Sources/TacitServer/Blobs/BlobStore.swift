import Foundation

/// Storage for opaque, client-encrypted blobs (attachments), with resumable uploads.
///
/// The protocol is the contract an object-store backend must keep too:
/// - ids are 256-bit random (``BlobID``), never sequential;
/// - an append succeeds only at the confirmed length, and the new length it returns is durable
///   (a crash right after loses none of it);
/// - only the owner may see an unfinished upload, append to it, finish or delete it; a finished
///   blob may be read by anyone who knows its id (the id is the capability);
/// - bytes in use per owner never exceed ``BlobLimits/quotaPerOwner`` and no blob exceeds
///   ``BlobLimits/maxBlobSize``;
/// - a blob expires ``BlobLimits/lifetime`` after its upload began, or
///   ``BlobLimits/retentionAfterAllFetched`` after its expected number of distinct fetchers
///   fetched it, whichever is first; expired blobs are no longer readable and
///   ``BlobSweeper`` removes them.
public protocol BlobStore: Sendable {
    var limits: BlobLimits { get }

    /// Starts an upload. With a `declaredSize` the size is checked against the limits and
    /// reserved from the owner's quota now, and appends past it are refused.
    /// `expectedFetchCount` is the number of recipient devices (0: expire by age only).
    func beginUpload(owner: BlobOwnerID, declaredSize: UInt64?, expectedFetchCount: Int) async throws(BlobStoreError) -> BlobInfo

    /// Appends `body` at `offset`, which must equal the confirmed length. Returns the new
    /// confirmed length. If `body` fails part way (say, the client disconnects) or a limit is
    /// hit, the bytes received so far are still confirmed and the error is rethrown; the client
    /// asks ``info(_:owner:)`` where to resume.
    func append<Body: AsyncSequence>(
        _ id: BlobID, owner: BlobOwnerID, offset: UInt64, body: Body
    ) async throws -> UInt64 where Body.Element: DataProtocol

    /// The blob's state; for the owner at any time, for others only once it is complete.
    func info(_ id: BlobID, owner: BlobOwnerID?) async throws(BlobStoreError) -> BlobInfo

    /// Completes an upload after checking that exactly `totalSize` bytes were confirmed and,
    /// if given, that they have SHA-256 `sha256` (otherwise the upload is deleted). Finishing a
    /// complete blob again with the same values returns its info (so a retry is harmless).
    func finish(_ id: BlobID, owner: BlobOwnerID, totalSize: UInt64, sha256: Data?) async throws(BlobStoreError) -> BlobInfo

    /// Opens a complete, unexpired blob for reading the whole or `range` of it.
    func read(_ id: BlobID, range: BlobByteRange?) async throws(BlobStoreError) -> BlobReadResult

    /// Counts a completed download by `fetcher` (a device id; each counts once). When the
    /// expected number is reached the blob's expiry moves to
    /// ``BlobLimits/retentionAfterAllFetched`` from now.
    func recordFetch(_ id: BlobID, fetcher: String) async throws(BlobStoreError) -> BlobInfo

    /// Deletes a blob at its owner's request.
    func delete(_ id: BlobID, owner: BlobOwnerID) async throws(BlobStoreError)

    /// Deletes a blob if it is still expired or abandoned at `now` (checked again under the
    /// blob's lock, so an upload resumed since ``expiredBlobs(now:)`` survives). Returns whether
    /// it was deleted; a busy blob is left alone.
    func removeIfExpired(_ id: BlobID, now: Date) async throws(BlobStoreError) -> Bool

    /// Blobs that have expired at `now`, and unfinished uploads abandoned for longer than
    /// ``BlobLimits/abandonedUploadAge``.
    func expiredBlobs(now: Date) async throws(BlobStoreError) -> [BlobID]

    /// Bytes the owner's blobs take: finished blobs, plus uploads in progress at their declared
    /// size (or confirmed length, without one).
    func bytesInUse(owner: BlobOwnerID) async throws(BlobStoreError) -> UInt64
}

extension BlobStore {
    /// Appends one piece of bytes at `offset`.
    public func append(_ id: BlobID, owner: BlobOwnerID, offset: UInt64, bytes: some DataProtocol & Sendable) async throws -> UInt64 {
        try await append(id, owner: owner, offset: offset, body: BlobSinglePiece(bytes: Data(bytes)))
    }
}

/// A blob (or a range of it) opened for reading.
public struct BlobReadResult: Sendable {
    public var info: BlobInfo
    /// The bytes selected, within `0..<info.length`.
    public var range: Range<UInt64>
    /// The selected bytes, in pieces of at most 256 KiB.
    public var body: BlobByteStream
}

/// An async sequence of exactly one piece.
struct BlobSinglePiece: AsyncSequence, Sendable {
    typealias Element = Data
    let bytes: Data

    struct AsyncIterator: AsyncIteratorProtocol {
        var bytes: Data?
        mutating func next() async -> Data? {
            defer { bytes = nil }
            return bytes
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes) }
}
