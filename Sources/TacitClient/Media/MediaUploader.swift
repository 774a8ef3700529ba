import Crypto
import Foundation
import NIOCore

/// Encrypts a file and uploads it as a blob, streaming and resumable.
///
/// The blob goes up in segments of ``MediaTransferOptions/segmentSize`` (aligned to chunks),
/// one `PATCH` each, which the server makes durable before it answers. Nothing of the
/// ciphertext is kept: after a dropped connection (or a server restart) the uploader asks
/// the server where the upload stands and seals the current segment again from the file.
///
/// Sealing a chunk again must give the same bytes, or the same key and nonce would cover
/// two plaintexts. So the tag of every chunk of the current segment is remembered and a
/// chunk sealed again must match it, the file's size and modification time are checked at
/// the end, and any difference abandons the upload with ``MediaError/sourceChanged(_:)``.
struct MediaUploader: Sendable {
    let service: BlobServiceClient
    let options: MediaTransferOptions
    let progress: MediaProgressHandler?

    func upload(file: URL, expectedFetchCount: Int) async throws(MediaError) -> (blobID: String, file: AttachmentEncryptedFile) {
        try await upload(file: file, expectedFetchCount: expectedFetchCount, resuming: nil, checkpoint: nil)
    }

    /// Uploads `file`, continuing the upload of `resuming` where the server stands if it
    /// still fits the file (same size and modification time, blob still there), else
    /// starting afresh under a new key. `checkpoint` hears of the blob before any byte is
    /// sent and again after each confirmed segment.
    func upload(file: URL, expectedFetchCount: Int, resuming: MediaUploadCheckpoint?,
                checkpoint: MediaCheckpointHandler?) async throws(MediaError) -> (blobID: String, file: AttachmentEncryptedFile) {
        if let resuming, let resumed = try await resume(resuming, file: file) {
            return try await upload(source: resumed.source, id: resuming.blobID, confirmed: resumed.confirmed,
                                    checkpoint: checkpoint, state: resuming)
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let noncePrefix = SymmetricKey(size: SymmetricKeySize(bitCount: 64)).withUnsafeBytes { Data($0) }
        return try await upload(file: file, expectedFetchCount: expectedFetchCount, key: key, noncePrefix: noncePrefix,
                                checkpoint: checkpoint)
    }

    /// Uploads under a given key; tests use this to compare with ``AttachmentEncryptor``.
    func upload(file: URL, expectedFetchCount: Int, key: Data, noncePrefix: Data,
                checkpoint: MediaCheckpointHandler? = nil) async throws(MediaError) -> (blobID: String, file: AttachmentEncryptedFile) {
        guard AttachmentFormat.chunkSizeRange.contains(options.chunkSize) else {
            throw .io("chunk size \(options.chunkSize) is out of range")
        }
        let source = try MediaCiphertextSource(file: file, fileKey: key, noncePrefix: noncePrefix,
                                               chunkSize: options.chunkSize)
        let id = try await retrying { () async throws(MediaError) in
            try await service.create(length: source.ciphertextSize, fetchCount: expectedFetchCount)
        }
        let state = MediaUploadCheckpoint(
            blobID: id, key: key, noncePrefix: noncePrefix, chunkSize: source.chunkSize, plaintextSize: source.plaintextSize,
            fileModifiedMilliseconds: source.modifiedMilliseconds, ciphertextSize: source.ciphertextSize, expectedFetchCount: expectedFetchCount)
        try await checkpoint?(state)
        return try await upload(source: source, id: id, confirmed: 0, checkpoint: checkpoint, state: state)
    }

    /// The source and the server's confirmed offset for continuing `saved`; nil when it
    /// cannot continue (the file changed, or the server no longer has the upload).
    private func resume(_ saved: MediaUploadCheckpoint,
                        file: URL) async throws(MediaError) -> (source: MediaCiphertextSource, confirmed: UInt64)? {
        guard AttachmentFormat.chunkSizeRange.contains(saved.chunkSize) else { return nil }
        let source = try MediaCiphertextSource(file: file, fileKey: saved.key, noncePrefix: saved.noncePrefix,
                                               chunkSize: saved.chunkSize)
        guard source.plaintextSize == saved.plaintextSize, source.modifiedMilliseconds == saved.fileModifiedMilliseconds,
              source.ciphertextSize == saved.ciphertextSize else { return nil }
        do throws(MediaError) {
            let status = try await retrying { () async throws(MediaError) in try await service.status(of: saved.blobID) }
            return (source, status.complete ? source.ciphertextSize : min(status.offset, source.ciphertextSize))
        } catch .server(let status, _, _) where status == 404 || status == 410 || status == 403 {
            return nil
        }
    }

    /// Sends the blob from `start` (what the server confirmed) to its end and finishes it.
    /// Segments wholly before `start` are sealed again for the digest only, nothing sent.
    private func upload(source: MediaCiphertextSource, id: String, confirmed start: UInt64,
                        checkpoint: MediaCheckpointHandler?,
                        state: MediaUploadCheckpoint) async throws(MediaError) -> (blobID: String, file: AttachmentEncryptedFile) {
        let total = source.ciphertextSize
        progress?(.started(totalBytes: total))
        if start > 0 { progress?(.progress(bytes: start, totalBytes: total)) }
        let perSegment = UInt64(max(1, options.segmentSize / source.cipher.sealedChunkSize))
        var digest = SHA256()
        var confirmed = start
        var firstChunk: UInt64 = 0
        var state = state
        while firstChunk < source.chunkCount {
            let endChunk = min(firstChunk + perSegment, source.chunkCount)
            let segment = MediaUploadSegment(source: source, firstChunk: firstChunk, endChunk: endChunk, digest: digest)
            if confirmed >= segment.end {
                try await sealForDigest(segment)
            } else {
                confirmed = try await send(segment, id: id, confirmed: max(confirmed, segment.start), total: total)
                if let checkpoint {
                    state.confirmedOffset = confirmed
                    try await checkpoint(state)
                }
            }
            digest = segment.digest
            firstChunk = endChunk
        }
        try source.checkUnchanged()
        let sha256 = Data(digest.finalize())
        try await retrying { () async throws(MediaError) in try await service.finish(id, length: total, sha256: sha256) }
        do {
            let encrypted = try AttachmentEncryptedFile(
                key: source.fileKey, noncePrefix: source.noncePrefix, chunkSize: source.chunkSize,
                ciphertextSHA256: sha256, plaintextSize: source.plaintextSize, ciphertextSize: total)
            return (id, encrypted)
        } catch {
            throw .io("\(error)")
        }
    }

    /// Seals a segment the server already has, for the blob digest; sends nothing.
    private func sealForDigest(_ segment: MediaUploadSegment) async throws(MediaError) {
        do {
            try await segment.produce(from: segment.end, progress: nil, total: segment.end) { _ in }
        } catch let error as MediaError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Sends one segment from `confirmed` on, until the server confirmed all of it. Returns
    /// the new confirmed offset (the segment's end); the segment's digest is complete then.
    private func send(_ segment: MediaUploadSegment, id: String, confirmed start: UInt64,
                      total: UInt64) async throws(MediaError) -> UInt64 {
        var confirmed = start
        var failures = 0
        while true {
            guard (segment.start...segment.end).contains(confirmed) else {
                throw .invalidResponse("the server confirmed offset \(confirmed), outside the segment being sent")
            }
            if confirmed == segment.end {
                // All of it is on the server already (an earlier attempt got through): seal
                // it once more for the digest, sending nothing.
                try await sealForDigest(segment)
                return confirmed
            }
            let outcome: BlobServiceClient.AppendOutcome
            do throws(MediaError) {
                let from = confirmed
                let progress = progress
                outcome = try await service.append(id, offset: from, length: segment.end - from) { write in
                    try await segment.produce(from: from, progress: progress, total: total, write: write)
                }
            } catch let error where error.isRetryable {
                failures += 1
                guard failures <= options.maxRetries else { throw error }
                try await pause(beforeRetry: failures)
                confirmed = try await retrying { () async throws(MediaError) in try await service.status(of: id).offset }
                progress?(.progress(bytes: confirmed, totalBytes: total))
                continue
            }
            switch outcome {
            case .confirmed(let offset) where offset == segment.end && segment.isComplete:
                progress?(.progress(bytes: offset, totalBytes: total))
                return offset
            case .confirmed(let offset), .offsetMismatch(let offset):
                failures += 1
                guard failures <= options.maxRetries else {
                    throw .invalidResponse("the upload does not advance (server at offset \(offset))")
                }
                confirmed = offset
            case .busy:
                failures += 1
                guard failures <= options.maxRetries else {
                    throw .server(status: 409, code: "busy", message: "the blob stays busy on the server")
                }
                try await pause(beforeRetry: failures)
            }
        }
    }

    /// Runs `operation`, retrying retryable failures with backoff.
    func retrying<T>(_ operation: () async throws(MediaError) -> T) async throws(MediaError) -> T {
        var failures = 0
        while true {
            do {
                return try await operation()
            } catch let error where error.isRetryable && failures < options.maxRetries {
                failures += 1
                try await pause(beforeRetry: failures)
            }
        }
    }

    private func pause(beforeRetry attempt: Int) async throws(MediaError) {
        do { try await Task.sleep(for: options.delay(beforeRetry: attempt)) } catch { throw .cancelled }
    }
}

/// One segment of an upload: chunks `firstChunk..<endChunk` (and the header, for the first),
/// with the blob digest as it stood before the segment. Used by one task at a time.
final class MediaUploadSegment: @unchecked Sendable {
    let source: MediaCiphertextSource
    let firstChunk: UInt64
    let endChunk: UInt64
    let start: UInt64
    let end: UInt64
    private let digestBefore: SHA256
    /// The digest including this segment, once ``produce`` went through all of it.
    private(set) var digest: SHA256
    private(set) var isComplete = false
    /// Tags of the chunks sealed so far, to check that sealing again gives the same bytes.
    private var tags: [Data] = []

    init(source: MediaCiphertextSource, firstChunk: UInt64, endChunk: UInt64, digest: SHA256) {
        self.source = source
        self.firstChunk = firstChunk
        self.endChunk = endChunk
        self.start = firstChunk == 0 ? 0 : source.offset(ofChunk: firstChunk)
        self.end = source.offset(ofChunk: endChunk)
        self.digestBefore = digest
        self.digest = digest
    }

    /// Seals the whole segment, hashing all of it and writing the bytes from `offset` on.
    func produce(from offset: UInt64, progress: MediaProgressHandler?, total: UInt64,
                 write: (ByteBuffer) async throws -> Void) async throws {
        var hash = digestBefore
        isComplete = false
        var pending = ByteBuffer()
        pending.reserveCapacity(Self.bufferSize)
        func emit(_ bytes: Data, at position: UInt64) {
            let end = position + UInt64(bytes.count)
            guard end > offset else { return }
            let skip = Int(offset > position ? offset - position : 0)
            bytes.withUnsafeBytes { raw in pending.writeBytes(UnsafeRawBufferPointer(rebasing: raw[skip...])) }
        }
        if firstChunk == 0 {
            let header = source.header
            hash.update(data: header)
            emit(header, at: 0)
        }
        for index in firstChunk..<endChunk {
            try Task.checkCancellation()
            let (ciphertext, tag) = try source.sealedChunk(index)
            let position = Int(index - firstChunk)
            if position < tags.count {
                guard tags[position] == tag else {
                    throw MediaError.sourceChanged("chunk \(index) differs from when it was first read")
                }
            } else {
                tags.append(Data(tag))
            }
            let chunkStart = source.offset(ofChunk: index)
            hash.update(data: ciphertext)
            hash.update(data: tag)
            emit(ciphertext, at: chunkStart)
            emit(tag, at: chunkStart + UInt64(ciphertext.count))
            if pending.readableBytes >= Self.bufferSize {
                try await write(pending)
                pending = ByteBuffer()
                pending.reserveCapacity(Self.bufferSize)
                progress?(.progress(bytes: source.offset(ofChunk: index + 1), totalBytes: total))
            }
        }
        if pending.readableBytes > 0 { try await write(pending) }
        digest = hash
        isComplete = true
    }

    private static let bufferSize = 1 << 20
}
