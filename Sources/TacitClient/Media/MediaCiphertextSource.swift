import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encrypted blob of a plaintext file, sealed chunk by chunk on demand.
///
/// The format is deterministic for a given file key and nonce prefix, and chunk `i` sits at a
/// fixed offset of the blob, so any part of the blob can be produced again from the file:
/// what makes an upload resumable without keeping the ciphertext anywhere.
/// Used by one task at a time (the upload), hence `@unchecked Sendable`.
final class MediaCiphertextSource: @unchecked Sendable {
    let cipher: AttachmentChunkCipher
    let plaintextSize: UInt64
    let chunkCount: UInt64
    let ciphertextSize: UInt64
    let fileKey: Data
    private let handle: FileHandle
    private let path: String
    let noncePrefix: Data
    /// The file's modification time when it was opened.
    let modified: Date?
    private var buffer: [UInt8]

    /// Opens `file` for encryption under `fileKey` and `noncePrefix`.
    init(file: URL, fileKey: Data, noncePrefix: Data, chunkSize: Int) throws(MediaError) {
        do {
            self.cipher = try AttachmentChunkCipher(fileKey: SymmetricKey(data: fileKey), chunkSize: chunkSize,
                                                    noncePrefix: Array(noncePrefix))
        } catch {
            throw .io("\(error)")
        }
        do {
            self.handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw .io("cannot open \(file.path): \(error)")
        }
        self.path = file.path
        self.noncePrefix = noncePrefix
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        guard let size = (attributes?[.size] as? NSNumber)?.uint64Value else {
            try? handle.close()
            throw .io("cannot read the size of \(file.path)")
        }
        self.modified = attributes?[.modificationDate] as? Date
        self.plaintextSize = size
        self.fileKey = fileKey
        guard let ciphertextSize = AttachmentFormat.ciphertextSize(plaintextSize: size, chunkSize: chunkSize) else {
            try? handle.close()
            throw .tooLarge("\(size) bytes need more than 2^32 chunks of \(chunkSize) bytes")
        }
        self.ciphertextSize = ciphertextSize
        self.chunkCount = AttachmentFormat.chunkCount(plaintextSize: size, chunkSize: chunkSize)
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { try? handle.close() }

    var chunkSize: Int { cipher.chunkSize }
    var header: Data { Data(cipher.headerBytes) }
    /// ``modified`` in whole milliseconds since 1970 (how a checkpoint records it).
    var modifiedMilliseconds: Int64? { modified.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) } }

    /// Where chunk `index` starts in the blob (`chunkCount` gives the blob's end).
    func offset(ofChunk index: UInt64) -> UInt64 {
        index >= chunkCount ? ciphertextSize
            : UInt64(AttachmentFormat.headerByteCount) + index * UInt64(cipher.sealedChunkSize)
    }

    /// Chunk `index`, sealed: its ciphertext and tag (slices of one buffer, see
    /// ``AttachmentChunkCipher/sealParts(_:index:isFinal:)``).
    func sealedChunk(_ index: UInt64) throws(MediaError) -> (ciphertext: Data, tag: Data) {
        let start = index * UInt64(chunkSize)
        let count = Int(min(UInt64(chunkSize), plaintextSize - min(start, plaintextSize)))
        let descriptor = handle.fileDescriptor
        // withUnsafeMutableBytes rethrows untyped errors; carry the errno out by hand.
        let (read, failure) = buffer.withUnsafeMutableBytes { raw -> (Int, Int32) in
            guard let base = raw.baseAddress else { return (0, 0) }
            var done = 0
            while done < count {
                let result = pread(descriptor, base + done, count - done, off_t(start) + off_t(done))
                if result < 0 {
                    if errno == EINTR { continue }
                    return (done, errno)
                }
                if result == 0 { break }
                done += result
            }
            return (done, 0)
        }
        if failure != 0 { throw .io("read \(path): \(String(cString: strerror(failure)))") }
        guard read == count else { throw .sourceChanged("\(path) became shorter") }
        let sealed: Result<(ciphertext: Data, tag: Data), AttachmentCryptoError> = buffer.withUnsafeBytes { raw in
            do throws(AttachmentCryptoError) {
                return .success(try cipher.sealParts(UnsafeRawBufferPointer(rebasing: raw[..<count]),
                                                     index: UInt32(index), isFinal: index == chunkCount - 1))
            } catch {
                return .failure(error)
            }
        }
        switch sealed {
        case .success(let parts): return parts
        case .failure(let error): throw .io("\(error)")
        }
    }

    /// Fails if the file's size or modification time changed since it was opened.
    func checkUnchanged() throws(MediaError) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.uint64Value
        guard size == plaintextSize, attributes?[.modificationDate] as? Date == modified else {
            throw .sourceChanged("\(path) was modified")
        }
    }
}
