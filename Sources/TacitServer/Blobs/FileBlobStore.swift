import Foundation

/// A ``BlobStore`` in a directory of the local file system.
///
/// ```
/// root/                   0700  (the server's data dir + "/blobs")
///   3f/                   0700  shard: the first two hex digits of the id
///     3f…c1.data          0600  the blob's bytes; the first `length` of them are confirmed
///     3f…c1.meta          0600  JSON sidecar (BlobMetadata); the blob exists iff this does
///     3f…c1.meta.tmp      0600  a sidecar being rewritten (renamed over .meta when complete)
/// ```
///
/// Durability: an append writes its bytes, `fsync`s the data file, then rewrites the sidecar
/// with the new length (write, `fsync`, rename, `fsync` of the directory) before it returns
/// that length. A process killed at any point therefore keeps every confirmed byte; bytes
/// written but not yet confirmed are cut off before the next append.
///
/// Nothing here reads the blobs' content, and none of it is needed to serve them: they are
/// client-encrypted (``TacitClient`` attachment format) and the store treats them as bytes.
public final class FileBlobStore: BlobStore {
    public let root: URL
    public let limits: BlobLimits
    let now: @Sendable () -> Date
    let locks = BlobLockTable()
    let ledger = BlobQuotaLedger()

    static let dataSuffix = ".data"
    static let metadataSuffix = ".meta"
    static let temporarySuffix = ".tmp"

    /// Opens (creating if needed) the store at `root`, and rebuilds the quota ledger from the
    /// sidecars there. `now` is the clock for timestamps and expiry.
    public init(
        root: URL, limits: BlobLimits = BlobLimits(), now: @escaping @Sendable () -> Date = { Date() }
    ) throws(BlobStoreError) {
        self.root = root
        self.limits = limits
        self.now = now
        do {
            try FileManager.default.createDirectory(at: root.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .io("create \(root.deletingLastPathComponent().path): \(error)")
        }
        try BlobFileSystem.makeDirectory(root.path)
        try rebuildLedger()
    }

    // MARK: Paths

    func shardPath(_ id: BlobID) -> String { root.path + "/" + String(id.hex.prefix(2)) }
    func dataPath(_ id: BlobID) -> String { shardPath(id) + "/" + id.hex + Self.dataSuffix }
    func metadataPath(_ id: BlobID) -> String { shardPath(id) + "/" + id.hex + Self.metadataSuffix }
    func temporaryMetadataPath(_ id: BlobID) -> String { metadataPath(id) + Self.temporarySuffix }

    // MARK: Sidecars

    /// The blob's sidecar; ``BlobStoreError/notFound`` if there is none (or none readable).
    func loadMetadata(_ id: BlobID) throws(BlobStoreError) -> BlobMetadata {
        guard let data = FileManager.default.contents(atPath: metadataPath(id)),
              let metadata = BlobMetadata.decoded(data)
        else { throw .notFound }
        return metadata
    }

    /// The blob's sidecar, or `nil` if there is none (or none readable).
    func loadMetadataIfPresent(_ id: BlobID) -> BlobMetadata? {
        try? loadMetadata(id)
    }

    /// Replaces the sidecar atomically. `durable` adds the `fsync`s that make the new version
    /// survive power loss; fetch counting skips them (losing one only delays expiry).
    func storeMetadata(_ metadata: BlobMetadata, for id: BlobID, durable: Bool) async throws(BlobStoreError) {
        let data = try metadata.encoded()
        let temporary = temporaryMetadataPath(id)
        let final = metadataPath(id)
        let shard = shardPath(id)
        let write: @Sendable () throws(BlobStoreError) -> Void = {
            try Self.writeSidecar(data, temporary: temporary, final: final, directory: shard, durable: durable)
        }
        if durable { try await BlobBlockingIO.run(write) } else { try write() }
    }

    private static func writeSidecar(
        _ data: Data, temporary: String, final: String, directory: String, durable: Bool
    ) throws(BlobStoreError) {
        let fd = try BlobFileSystem.openFile(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        do throws(BlobStoreError) {
            // withUnsafeBytes rethrows untyped errors; carry ours out by hand.
            let failure: BlobStoreError? = data.withUnsafeBytes { raw in
                do throws(BlobStoreError) {
                    try BlobFileSystem.writeAll(fd, raw, at: 0, path: temporary)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            if durable { try BlobFileSystem.syncFile(fd, path: temporary) }
            BlobFileSystem.closeFile(fd)
        } catch {
            BlobFileSystem.closeFile(fd)
            try? BlobFileSystem.removeFile(temporary)
            throw error
        }
        try BlobFileSystem.renameFile(temporary, final)
        if durable { try BlobFileSystem.syncDirectory(directory) }
    }

    /// Deletes a blob's files, sidecar first (so it stops existing even if the rest fails),
    /// and returns its bytes to the owner's quota.
    func removeFiles(_ id: BlobID, metadata: BlobMetadata?) throws(BlobStoreError) {
        try BlobFileSystem.removeFile(metadataPath(id))
        if let metadata { ledger.release(metadata.reservedBytes, for: metadata.owner) }
        try BlobFileSystem.removeFile(temporaryMetadataPath(id))
        try BlobFileSystem.removeFile(dataPath(id))
    }

    /// Runs `body` holding the blob's lock. With `wait: false` a held lock fails with
    /// ``BlobStoreError/busy`` instead of waiting.
    func withLock<Result>(
        _ id: BlobID, wait: Bool, _ body: () async throws -> Result
    ) async throws -> Result {
        if wait {
            await locks.lock(id)
        } else if await !locks.tryLock(id) {
            throw BlobStoreError.busy
        }
        do {
            let result = try await body()
            await locks.unlock(id)
            return result
        } catch {
            await locks.unlock(id)
            throw error
        }
    }

    /// ``withLock(_:wait:_:)`` for bodies that throw only ``BlobStoreError``.
    func withLock<Result>(
        _ id: BlobID, wait: Bool, typed body: () async throws(BlobStoreError) -> Result
    ) async throws(BlobStoreError) -> Result {
        do {
            return try await withLock(id, wait: wait) { () async throws -> Result in try await body() }
        } catch let error as BlobStoreError {
            throw error
        } catch {
            throw .io("\(error)")
        }
    }

    // MARK: Start-up

    /// Sums the reserved bytes of every sidecar per owner, and drops sidecar rewrites a crash
    /// interrupted (the old sidecar is still in place).
    private func rebuildLedger() throws(BlobStoreError) {
        for (id, name, shard) in try allEntries() {
            if name.hasSuffix(Self.metadataSuffix + Self.temporarySuffix) {
                try BlobFileSystem.removeFile(shard + "/" + name)
            } else if name.hasSuffix(Self.metadataSuffix), let metadata = try? loadMetadata(id) {
                _ = try? ledger.reserve(metadata.reservedBytes, for: metadata.owner, quota: .max)
            }
        }
    }

    /// Every file in every shard whose name starts with a valid id.
    func allEntries() throws(BlobStoreError) -> [(id: BlobID, name: String, shard: String)] {
        var entries: [(BlobID, String, String)] = []
        for shardName in try BlobFileSystem.list(root.path) where shardName.utf8.count == 2 {
            let shard = root.path + "/" + shardName
            for name in try BlobFileSystem.list(shard) {
                guard let id = BlobID(String(name.prefix(64))), id.hex.hasPrefix(shardName) else { continue }
                entries.append((id, name, shard))
            }
        }
        return entries
    }
}
