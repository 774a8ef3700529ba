import Foundation

/// Per-blob mutual exclusion for the file store: one writer of a blob's files at a time.
///
/// Long operations (appends) use ``tryLock(_:)`` and fail fast with ``BlobStoreError/busy``
/// rather than queue behind a transfer; short ones (fetch counting) wait with ``lock(_:)``.
actor BlobLockTable {
    private var held: Set<BlobID> = []
    private var waiters: [BlobID: [CheckedContinuation<Void, Never>]] = [:]

    func tryLock(_ id: BlobID) -> Bool {
        held.insert(id).inserted
    }

    func lock(_ id: BlobID) async {
        if held.insert(id).inserted { return }
        await withCheckedContinuation { waiters[id, default: []].append($0) }
        // unlock handed the lock over without removing `id` from `held`.
    }

    func unlock(_ id: BlobID) {
        if var queue = waiters[id], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[id] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(id)
        }
    }
}
