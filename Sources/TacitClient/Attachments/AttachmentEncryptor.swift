import Crypto
import Foundation

/// Encrypts files into the ``AttachmentFormat`` blob, streaming: memory use is a few chunks,
/// whatever the file size.
///
/// Each call draws a fresh random file key and nonce prefix. The blob goes to a `sink` in
/// order (header, then one sealed chunk per call), or to a file; the returned
/// ``AttachmentEncryptedFile`` holds the key, the blob's SHA-256 and both sizes.
///
/// ```swift
/// let encryptor = AttachmentEncryptor()
/// let file = try await encryptor.encrypt(contentsOf: photoURL, to: spoolURL)
/// // upload spoolURL, then send AttachmentDescriptor(blobID: id, file: file, ...)
/// ```
public struct AttachmentEncryptor: Sendable {
    /// Plaintext bytes per chunk.
    public let chunkSize: Int
    /// Fixed key material for known-answer tests; `nil` draws fresh random values.
    private let fixedKeyMaterial: (key: Data, noncePrefix: Data)?

    /// Bytes read from a source file at a time.
    private var readSize: Int { max(chunkSize, (1 << 20) / chunkSize * chunkSize) }

    /// - Parameter chunkSize: plaintext bytes per chunk, within ``AttachmentFormat/chunkSizeRange``.
    public init(chunkSize: Int = AttachmentFormat.defaultChunkSize) throws(AttachmentCryptoError) {
        guard AttachmentFormat.chunkSizeRange.contains(chunkSize) else { throw .invalidChunkSize(chunkSize) }
        self.chunkSize = chunkSize
        self.fixedKeyMaterial = nil
    }

    /// An encryptor that always uses `key` and `noncePrefix`. Tests only: reusing a key across
    /// files defeats the format's guarantees.
    init(chunkSize: Int, fixedKey key: Data, noncePrefix: Data) throws(AttachmentCryptoError) {
        guard AttachmentFormat.chunkSizeRange.contains(chunkSize) else { throw .invalidChunkSize(chunkSize) }
        self.chunkSize = chunkSize
        self.fixedKeyMaterial = (key, noncePrefix)
    }

    /// Encrypts the file at `source`, handing the blob to `sink` piece by piece.
    public func encrypt(
        contentsOf source: URL, sink: (Data) async throws -> Void
    ) async throws -> AttachmentEncryptedFile {
        let handle = try Self.openForReading(source)
        defer { try? handle.close() }
        return try await encrypt(reading: handle, sink: sink)
    }

    /// Encrypts everything readable from `handle` (up to its end), handing the blob to `sink`.
    public func encrypt(
        reading handle: FileHandle, sink: (Data) async throws -> Void
    ) async throws -> AttachmentEncryptedFile {
        var sealer = try makeSealer()
        // One reused buffer and plain read(2): a fresh Data per read costs page faults.
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            try Task.checkCancellation()
            let pieces = try buffer.withUnsafeMutableBytes { raw throws(AttachmentCryptoError) -> [Data]? in
                let count = try Self.readBlock(handle.fileDescriptor, into: raw)
                guard count > 0 else { return nil }
                return try sealer.append(UnsafeRawBufferPointer(rebasing: raw[..<count]))
            }
            guard let pieces else { break }
            for piece in pieces { try await sink(piece) }
        }
        let (last, file) = try sealer.finish()
        for piece in last { try await sink(piece) }
        return file
    }

    /// Encrypts a stream of plaintext pieces of any size, handing the blob to `sink`.
    public func encrypt<Plaintext: AsyncSequence>(
        _ plaintext: Plaintext, sink: (Data) async throws -> Void
    ) async throws -> AttachmentEncryptedFile where Plaintext.Element: DataProtocol {
        var sealer = try makeSealer()
        for try await block in plaintext {
            try Task.checkCancellation()
            for piece in try sealer.append(block) { try await sink(piece) }
        }
        let (last, file) = try sealer.finish()
        for piece in last { try await sink(piece) }
        return file
    }

    /// Encrypts the file at `source` into a new file at `destination`, which appears only
    /// once complete (nothing is left there on failure).
    public func encrypt(contentsOf source: URL, to destination: URL) async throws -> AttachmentEncryptedFile {
        let output = try AttachmentPartialFile(destination: destination)
        do {
            let file = try await encrypt(contentsOf: source) { try output.write($0) }
            try output.commit()
            return file
        } catch {
            output.discard()
            throw error
        }
    }

    func makeSealer() throws(AttachmentCryptoError) -> AttachmentStreamSealer {
        let key: Data
        let noncePrefix: Data
        if let fixedKeyMaterial {
            (key, noncePrefix) = fixedKeyMaterial
        } else {
            key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            noncePrefix = SymmetricKey(size: SymmetricKeySize(bitCount: 64)).withUnsafeBytes { Data($0) }
        }
        return try AttachmentStreamSealer(fileKey: key, noncePrefix: noncePrefix, chunkSize: chunkSize)
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    static func readBlock(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(AttachmentCryptoError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            let count = read(fd, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw .io("read failed: \(String(cString: strerror(errno)))") }
        }
    }

    static func openForReading(_ url: URL) throws(AttachmentCryptoError) -> FileHandle {
        do { return try FileHandle(forReadingFrom: url) } catch {
            throw .io("cannot open \(url.path): \(error)")
        }
    }
}
