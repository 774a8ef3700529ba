import Foundation

/// Verifies and decrypts an ``AttachmentFormat`` blob into a file, streaming.
///
/// The plaintext is written to a hidden temporary file beside `destination` and renamed to it
/// only after the final chunk, both sizes and the blob's SHA-256 all check out. On any failure
/// the call throws an ``AttachmentCryptoError`` (or `CancellationError`), removes the temporary
/// file and leaves `destination` untouched.
public struct AttachmentDecryptor: Sendable {
    /// The file this decryptor expects, from the attachment's descriptor.
    public let file: AttachmentEncryptedFile

    private var readSize: Int { max(file.chunkSize + AttachmentFormat.tagByteCount, 1 << 20) }

    public init(file: AttachmentEncryptedFile) {
        self.file = file
    }

    /// Decrypts the blob stored at `source` into `destination`.
    public func decrypt(contentsOf source: URL, to destination: URL) async throws {
        let handle = try AttachmentEncryptor.openForReading(source)
        defer { try? handle.close() }
        try await decrypt(reading: handle, to: destination)
    }

    /// Decrypts the blob readable from `handle` (up to its end) into `destination`.
    public func decrypt(reading handle: FileHandle, to destination: URL) async throws {
        let readSize = self.readSize
        try await decrypt(to: destination) {
            do {
                guard let block = try handle.read(upToCount: readSize), !block.isEmpty else { return nil }
                return block
            } catch {
                throw AttachmentCryptoError.io("read failed: \(error)")
            }
        }
    }

    /// Decrypts a blob arriving as pieces of any size (say, an HTTP response body).
    public func decrypt<Ciphertext: AsyncSequence>(
        _ ciphertext: Ciphertext, to destination: URL
    ) async throws where Ciphertext.Element: DataProtocol {
        var iterator = ciphertext.makeAsyncIterator()
        try await decrypt(to: destination) {
            guard let piece = try await iterator.next() else { return nil }
            return Data(piece)
        }
    }

    /// The one decryption loop: `nextPiece` returns `nil` at the end of the blob.
    private func decrypt(to destination: URL, nextPiece: () async throws -> Data?) async throws {
        var opener = try AttachmentStreamOpener(file: file)
        let output = try AttachmentPartialFile(destination: destination)
        do {
            while let piece = try await nextPiece() {
                try Task.checkCancellation()
                for plaintext in try opener.append(piece) { try output.write(plaintext) }
            }
            try output.write(try opener.finish())
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }
}
