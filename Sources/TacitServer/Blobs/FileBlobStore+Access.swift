import Foundation

extension FileBlobStore {
    public func info(_ id: BlobID, owner: BlobOwnerID?) async throws(BlobStoreError) -> BlobInfo {
        let metadata = try loadMetadata(id)
        if metadata.state == .complete && metadata.expiresAt <= now() { throw .notFound }
        if metadata.state == .uploading && metadata.owner != owner?.rawValue { throw .forbidden }
        return metadata.info(id: id)
    }

    public func read(_ id: BlobID, range: BlobByteRange?) async throws(BlobStoreError) -> BlobReadResult {
        let metadata = try loadMetadata(id)
        guard metadata.state == .complete else { throw .notComplete }
        guard metadata.expiresAt > now() else { throw .notFound }
        let selected = try range?.resolved(length: metadata.length) ?? 0..<metadata.length
        let path = dataPath(id)
        // A data file shorter than its confirmed length was damaged on disk: refuse it whole
        // rather than cut a response short in the middle.
        guard let size = try BlobFileSystem.status(path)?.size, size >= metadata.length else {
            throw .io("\(path) is shorter than its confirmed length")
        }
        let file = BlobReadFile(descriptor: try BlobFileSystem.openFile(path, O_RDONLY), path: path)
        return BlobReadResult(info: metadata.info(id: id), range: selected, body: BlobByteStream(file: file, range: selected))
    }

    public func recordFetch(_ id: BlobID, fetcher: String) async throws(BlobStoreError) -> BlobInfo {
        // Checked before taking the lock, so a fetch of an upload does not wait for its append.
        guard try loadMetadata(id).state == .complete else { throw .notComplete }
        return try await withLock(id, wait: true) { () async throws(BlobStoreError) -> BlobInfo in
            var metadata = try loadMetadata(id)
            let moment = now()
            guard metadata.expiresAt > moment else { throw .notFound }
            let token = BlobMetadata.fetchToken(id: id, fetcher: fetcher)
            guard metadata.fetchTokens.count < metadata.expectedFetchCount, !metadata.fetchTokens.contains(token)
            else { return metadata.info(id: id) }
            metadata.fetchTokens.append(token)
            if metadata.fetchTokens.count == metadata.expectedFetchCount {
                metadata.expiresAt = Swift.min(metadata.expiresAt, moment.addingTimeInterval(limits.retentionAfterAllFetched))
            }
            try await storeMetadata(metadata, for: id, durable: false)
            return metadata.info(id: id)
        }
    }

    public func delete(_ id: BlobID, owner: BlobOwnerID) async throws(BlobStoreError) {
        try await withLock(id, wait: false) { () async throws(BlobStoreError) in
            let metadata = try loadMetadata(id)
            guard metadata.owner == owner.rawValue else { throw .forbidden }
            try removeFiles(id, metadata: metadata)
        }
    }

    public func removeIfExpired(_ id: BlobID, now moment: Date) async throws(BlobStoreError) -> Bool {
        do {
            return try await withLock(id, wait: false) { () async throws(BlobStoreError) -> Bool in
                let metadata = loadMetadataIfPresent(id)
                guard try isExpired(id, metadata: metadata, at: moment) else { return false }
                try removeFiles(id, metadata: metadata)
                return true
            }
        } catch BlobStoreError.busy {
            return false
        }
    }

    public func expiredBlobs(now moment: Date) async throws(BlobStoreError) -> [BlobID] {
        var seen: Set<BlobID> = []
        var expired: [BlobID] = []
        for (id, _, _) in try allEntries() where seen.insert(id).inserted {
            let metadata = loadMetadataIfPresent(id)
            if try isExpired(id, metadata: metadata, at: moment) { expired.append(id) }
        }
        return expired
    }

    public func bytesInUse(owner: BlobOwnerID) async throws(BlobStoreError) -> UInt64 {
        ledger.bytesInUse(owner.rawValue)
    }

    /// Expired, abandoned, or leftover files without a readable sidecar (a crash between
    /// creating the data file and the first sidecar) that are older than the abandon age.
    private func isExpired(_ id: BlobID, metadata: BlobMetadata?, at moment: Date) throws(BlobStoreError) -> Bool {
        let abandonedBefore = moment.addingTimeInterval(-limits.abandonedUploadAge)
        guard let metadata else {
            var newest: Date?
            for path in [dataPath(id), metadataPath(id), temporaryMetadataPath(id)] {
                if let modified = try BlobFileSystem.status(path)?.modified { newest = Swift.max(newest ?? modified, modified) }
            }
            return newest.map { $0 <= abandonedBefore } ?? false
        }
        switch metadata.state {
        case .complete: return metadata.expiresAt <= moment
        case .uploading: return metadata.expiresAt <= moment || metadata.updatedAt <= abandonedBefore
        }
    }
}
