import Foundation

/// Bytes in use per owner, kept in memory (rebuilt from the sidecars when a store opens) so
/// the quota check on every appended piece costs no I/O.
final class BlobQuotaLedger: @unchecked Sendable {
    // @unchecked: all state is behind `lock`.
    private let lock = NSLock()
    private var usage: [String: UInt64] = [:]

    func bytesInUse(_ owner: String) -> UInt64 {
        lock.withLock { usage[owner, default: 0] }
    }

    /// Adds `bytes` to the owner's usage unless that would pass `quota`.
    func reserve(_ bytes: UInt64, for owner: String, quota: UInt64) throws(BlobStoreError) {
        let current: UInt64? = lock.withLock {
            let current = usage[owner, default: 0]
            guard bytes <= quota, current <= quota - bytes else { return current }
            usage[owner] = current + bytes
            return nil
        }
        if let current { throw .quotaExceeded(bytesInUse: current, quota: quota) }
    }

    func release(_ bytes: UInt64, for owner: String) {
        lock.withLock {
            let remaining = usage[owner, default: 0] - Swift.min(bytes, usage[owner, default: 0])
            usage[owner] = remaining == 0 ? nil : remaining
        }
    }
}
