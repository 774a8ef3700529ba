import Foundation

/// Size, quota and lifetime rules of a blob store.
public struct BlobLimits: Sendable, Equatable {
    /// The largest blob, in bytes. Default 2 GiB.
    public var maxBlobSize: UInt64
    /// Bytes one owner's blobs may take at once (finished, and uploads in progress at their
    /// declared size). Default 10 GiB.
    public var quotaPerOwner: UInt64
    /// A blob is deleted this long after its upload began, fetched or not. Default 30 days.
    public var lifetime: TimeInterval
    /// A blob is deleted this long after the last of its expected recipients fetched it; the
    /// delay lets a recipient whose download failed at the very end fetch again. Default 1 hour.
    public var retentionAfterAllFetched: TimeInterval
    /// An unfinished upload is deleted when nothing was appended to it for this long. Default 1 day.
    public var abandonedUploadAge: TimeInterval
    /// The most recipients an upload may announce. Default 10,000.
    public var maxExpectedFetchCount: Int

    public init(
        maxBlobSize: UInt64 = 2 << 30, quotaPerOwner: UInt64 = 10 << 30,
        lifetime: TimeInterval = 30 * 86_400, retentionAfterAllFetched: TimeInterval = 3_600,
        abandonedUploadAge: TimeInterval = 86_400, maxExpectedFetchCount: Int = 10_000
    ) {
        self.maxBlobSize = maxBlobSize
        self.quotaPerOwner = quotaPerOwner
        self.lifetime = lifetime
        self.retentionAfterAllFetched = retentionAfterAllFetched
        self.abandonedUploadAge = abandonedUploadAge
        self.maxExpectedFetchCount = maxExpectedFetchCount
    }
}
