import Foundation

/// Deletes what a ``BlobStore`` no longer needs to keep: blobs past their lifetime, blobs
/// fetched by all their recipients (after the retention delay), and abandoned uploads.
public struct BlobSweeper: Sendable {
    public let store: any BlobStore

    public init(store: any BlobStore) {
        self.store = store
    }

    /// What one sweep did.
    public struct Result: Equatable, Sendable {
        /// Blobs deleted.
        public var removed: [BlobID]
        /// Expired blobs left for the next sweep because they were busy (or became live again).
        public var kept: Int
    }

    /// Deletes every blob that is expired at `now`.
    @discardableResult
    public func sweep(now: Date = Date()) async throws(BlobStoreError) -> Result {
        var result = Result(removed: [], kept: 0)
        for id in try await store.expiredBlobs(now: now) {
            if try await store.removeIfExpired(id, now: now) {
                result.removed.append(id)
            } else {
                result.kept += 1
            }
        }
        return result
    }

    /// Sweeps every `interval` until the task is cancelled; a failed sweep is retried at the
    /// next interval. Suits a ServiceLifecycle service's `run()`.
    public func run(every interval: Duration, clock: @Sendable () -> Date = { Date() }) async {
        while !Task.isCancelled {
            _ = try? await sweep(now: clock())
            try? await Task.sleep(for: interval)
        }
    }
}
