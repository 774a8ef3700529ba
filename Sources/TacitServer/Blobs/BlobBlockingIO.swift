import Foundation

/// Runs slow blocking file work (fsync, hashing a whole blob) on a Dispatch queue, so it does
/// not hold one of the few threads of Swift's cooperative pool while the disk catches up.
enum BlobBlockingIO {
    private static let queue = DispatchQueue(label: "tacit.blobs.blocking-io", attributes: .concurrent)

    static func run<Result: Sendable>(
        _ work: @escaping @Sendable () throws(BlobStoreError) -> Result
    ) async throws(BlobStoreError) -> Result {
        let outcome: Swift.Result<Result, BlobStoreError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(BlobStoreError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try outcome.get()
    }
}
