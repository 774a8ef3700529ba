import Crypto
import Foundation

extension FileBlobStore {
    public func beginUpload(
        owner: BlobOwnerID, declaredSize: UInt64?, expectedFetchCount: Int
    ) async throws(BlobStoreError) -> BlobInfo {
        guard (0...limits.maxExpectedFetchCount).contains(expectedFetchCount) else {
            throw .invalidArgument("expectedFetchCount must be within 0...\(limits.maxExpectedFetchCount)")
        }
        if let declaredSize, declaredSize > limits.maxBlobSize { throw .tooLarge(limit: limits.maxBlobSize) }
        let id = BlobID.random()
        let created = now()
        let metadata = BlobMetadata(
            owner: owner.rawValue, state: .uploading, length: 0, declaredSize: declaredSize,
            createdAt: created, updatedAt: created, expiresAt: created.addingTimeInterval(limits.lifetime),
            expectedFetchCount: expectedFetchCount, fetchTokens: [], sha256: nil)
        try ledger.reserve(metadata.reservedBytes, for: owner.rawValue, quota: limits.quotaPerOwner)
        do {
            try BlobFileSystem.makeDirectory(shardPath(id))
            // O_EXCL: a fresh 256-bit id never exists, and if it somehow did it stays untouched.
            let fd = try BlobFileSystem.openFile(dataPath(id), O_WRONLY | O_CREAT | O_EXCL)
            BlobFileSystem.closeFile(fd)
            try await storeMetadata(metadata, for: id, durable: true)
        } catch {
            ledger.release(metadata.reservedBytes, for: owner.rawValue)
            try? BlobFileSystem.removeFile(dataPath(id))
            throw error
        }
        return metadata.info(id: id)
    }

    public func append<Body: AsyncSequence>(
        _ id: BlobID, owner: BlobOwnerID, offset: UInt64, body: Body
    ) async throws -> UInt64 where Body.Element: DataProtocol {
        try await withLock(id, wait: false) {
            try await appendLocked(id, owner: owner, offset: offset, body: body)
        }
    }

    private func appendLocked<Body: AsyncSequence>(
        _ id: BlobID, owner: BlobOwnerID, offset: UInt64, body: Body
    ) async throws -> UInt64 where Body.Element: DataProtocol {
        var metadata = try loadMetadata(id)
        guard metadata.owner == owner.rawValue else { throw BlobStoreError.forbidden }
        guard metadata.state == .uploading else { throw BlobStoreError.alreadyComplete }
        guard offset == metadata.length else { throw BlobStoreError.offsetMismatch(currentLength: metadata.length) }
        let limit = Swift.min(metadata.declaredSize ?? limits.maxBlobSize, limits.maxBlobSize)
        // Without a declared size the quota is taken piece by piece as bytes arrive.
        let paysPerPiece = metadata.declaredSize == nil
        let path = dataPath(id)
        let fd = try BlobFileSystem.openFile(path, O_WRONLY)
        defer { BlobFileSystem.closeFile(fd) }
        // Bytes a crashed append wrote but never confirmed go before new ones are written.
        try BlobFileSystem.truncateFile(fd, to: metadata.length, path: path)

        var written: UInt64 = 0
        var failure: (any Error)?
        do {
            for try await piece in body {
                let count = UInt64(piece.count)
                let position = metadata.length + written
                guard position <= limit, count <= limit - position else { throw BlobStoreError.tooLarge(limit: limit) }
                if paysPerPiece { try ledger.reserve(count, for: metadata.owner, quota: limits.quotaPerOwner) }
                do {
                    try Self.write(piece, to: fd, at: position, path: path)
                } catch {
                    if paysPerPiece { ledger.release(count, for: metadata.owner) }
                    throw error
                }
                written += count
            }
        } catch {
            failure = error
        }

        if written > 0 {
            do {
                try await BlobBlockingIO.run { () throws(BlobStoreError) in try BlobFileSystem.syncFile(fd, path: path) }
                metadata.length += written
                metadata.updatedAt = now()
                try await storeMetadata(metadata, for: id, durable: true)
            } catch {
                // Not confirmed, so not counted; the next append cuts these bytes off.
                if paysPerPiece { ledger.release(written, for: metadata.owner) }
                throw error
            }
        }
        if let failure { throw failure }
        return metadata.length
    }

    private static func write(_ piece: some DataProtocol, to fd: Int32, at offset: UInt64, path: String) throws(BlobStoreError) {
        var position = offset
        for region in piece.regions {
            // withUnsafeBytes rethrows untyped errors; carry ours out by hand.
            let failure: BlobStoreError? = region.withUnsafeBytes { raw in
                do throws(BlobStoreError) {
                    try BlobFileSystem.writeAll(fd, raw, at: position, path: path)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            position += UInt64(region.count)
        }
    }

    public func finish(
        _ id: BlobID, owner: BlobOwnerID, totalSize: UInt64, sha256: Data?
    ) async throws(BlobStoreError) -> BlobInfo {
        if let sha256, sha256.count != 32 { throw .invalidArgument("sha256 must be 32 bytes") }
        return try await withLock(id, wait: false) { () async throws(BlobStoreError) -> BlobInfo in
            var metadata = try loadMetadata(id)
            guard metadata.owner == owner.rawValue else { throw .forbidden }
            let givenDigest = sha256.map(BlobHex.encode)
            if metadata.state == .complete {
                // A retried finish (the first response got lost) succeeds if it says the same.
                guard metadata.length == totalSize else { throw .alreadyComplete }
                if let givenDigest, givenDigest != metadata.sha256 {
                    guard metadata.sha256 == nil, try await digest(of: id, length: metadata.length) == givenDigest
                    else { throw .alreadyComplete }
                }
                return metadata.info(id: id)
            }
            if let declared = metadata.declaredSize, declared != totalSize {
                throw .sizeMismatch(expected: declared, actual: totalSize)
            }
            guard metadata.length == totalSize else { throw .sizeMismatch(expected: totalSize, actual: metadata.length) }
            if let givenDigest, try await digest(of: id, length: metadata.length) != givenDigest {
                // Appending cannot repair wrong bytes: free the space now.
                try removeFiles(id, metadata: metadata)
                throw .digestMismatch
            }
            let reservedBefore = metadata.reservedBytes
            metadata.state = .complete
            metadata.sha256 = givenDigest
            metadata.updatedAt = now()
            try await storeMetadata(metadata, for: id, durable: true)
            ledger.release(reservedBefore - Swift.min(reservedBefore, metadata.reservedBytes), for: metadata.owner)
            return metadata.info(id: id)
        }
    }

    /// Hex SHA-256 of the first `length` bytes of the blob, hashed off the cooperative pool.
    private func digest(of id: BlobID, length: UInt64) async throws(BlobStoreError) -> String {
        let path = dataPath(id)
        return try await BlobBlockingIO.run { () throws(BlobStoreError) -> String in
            let fd = try BlobFileSystem.openFile(path, O_RDONLY)
            defer { BlobFileSystem.closeFile(fd) }
            var hash = SHA256()
            var offset: UInt64 = 0
            while offset < length {
                let count = Int(Swift.min(UInt64(1 << 20), length - offset))
                let piece = try BlobFileSystem.readUpTo(fd, count: count, at: offset, path: path)
                guard piece.count == count else { throw .io("\(path) is shorter than its confirmed length") }
                hash.update(data: piece)
                offset += UInt64(count)
            }
            return BlobHex.encode(hash.finalize())
        }
    }
}
