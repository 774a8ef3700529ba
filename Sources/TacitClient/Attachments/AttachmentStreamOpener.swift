import Crypto
import Foundation

/// Incremental verification and decryption of one blob: takes the blob in pieces of any size
/// and returns plaintext, one authenticated chunk at a time.
///
/// Which chunk is final follows from the stream itself (the last one is the one nothing
/// follows), so the AEAD's final flag alone catches truncation and extension. When the
/// expected sizes and digest are known (``init(file:)``) they are checked as well, and a blob
/// longer than announced is refused as soon as the excess arrives.
struct AttachmentStreamOpener {
    private let cipher: AttachmentChunkCipher
    private let expectedCiphertextSize: UInt64?
    private let expectedPlaintextSize: UInt64?
    private let expectedDigest: Data?
    private var buffer: [UInt8] = []
    private var headerParsed = false
    private var nextIndex: UInt32 = 0
    private var digest = SHA256()
    private var receivedByteCount: UInt64 = 0
    private var plaintextByteCount: UInt64 = 0

    /// An opener that checks everything `file` says about the blob.
    init(file: AttachmentEncryptedFile) throws(AttachmentCryptoError) {
        self.cipher = try file.makeCipher()
        self.expectedCiphertextSize = file.ciphertextSize
        self.expectedPlaintextSize = file.plaintextSize
        self.expectedDigest = file.ciphertextSHA256
    }

    /// An opener that relies on the AEAD construction alone (no sizes, no digest).
    init(fileKey: Data, noncePrefix: Data, chunkSize: Int) throws(AttachmentCryptoError) {
        self.cipher = try AttachmentChunkCipher(
            fileKey: SymmetricKey(data: fileKey), chunkSize: chunkSize, noncePrefix: Array(noncePrefix))
        self.expectedCiphertextSize = nil
        self.expectedPlaintextSize = nil
        self.expectedDigest = nil
    }

    /// Adds blob bytes; returns the plaintext of every chunk that is now known to be non-final
    /// and authentic.
    mutating func append(_ ciphertext: some DataProtocol) throws(AttachmentCryptoError) -> [Data] {
        receivedByteCount += UInt64(ciphertext.count)
        if let expected = expectedCiphertextSize, receivedByteCount > expected { throw .dataAfterFinalChunk }
        for region in ciphertext.regions {
            digest.update(data: region)
            buffer.append(contentsOf: region)
        }
        var start = 0
        if !headerParsed {
            guard buffer.count >= AttachmentFormat.headerByteCount else { return [] }
            try checkHeader(buffer[0..<AttachmentFormat.headerByteCount])
            headerParsed = true
            start = AttachmentFormat.headerByteCount
        }
        var output: [Data] = []
        let sealedSize = cipher.sealedChunkSize
        // A whole sealed chunk with at least one byte after it cannot be the final chunk.
        while buffer.count - start > sealedSize {
            let sealed = buffer[start..<(start + sealedSize)]
            output.append(try openNonFinal(sealed))
            start += sealedSize
        }
        buffer.removeFirst(start)
        return output
    }

    /// Ends the stream: opens the final chunk and checks sizes and digest.
    mutating func finish() throws(AttachmentCryptoError) -> Data {
        guard headerParsed else { throw .truncated }
        if let expected = expectedCiphertextSize, receivedByteCount < expected { throw .truncated }
        let index = nextIndex
        guard buffer.count >= AttachmentFormat.tagByteCount else { throw .truncated }
        guard let plaintext = cipher.open(buffer, index: index, isFinal: true) else {
            // A whole non-final chunk at the end means the real final chunk was cut off.
            if buffer.count == cipher.sealedChunkSize, cipher.open(buffer, index: index, isFinal: false) != nil {
                throw .truncated
            }
            throw .chunkAuthenticationFailed(index: index)
        }
        // The format only has an empty final chunk for an empty file.
        if plaintext.isEmpty && index > 0 { throw .malformedChunk(index: index) }
        buffer.removeAll()
        plaintextByteCount += UInt64(plaintext.count)
        if let expected = expectedPlaintextSize, expected != plaintextByteCount {
            throw .plaintextSizeMismatch(expected: expected, actual: plaintextByteCount)
        }
        if let expected = expectedDigest, Data(digest.finalize()) != expected { throw .ciphertextDigestMismatch }
        return plaintext
    }

    private func checkHeader(_ bytes: ArraySlice<UInt8>) throws(AttachmentCryptoError) {
        let header = try AttachmentHeader(parsing: bytes)
        let expected = cipher.header
        guard header.chunkSize == expected.chunkSize, header.noncePrefix == expected.noncePrefix
        else { throw .headerMismatch }
        guard Self.constantTimeEqual(header.keyCommitment, expected.keyCommitment) else { throw .keyMismatch }
    }

    private mutating func openNonFinal(_ sealed: ArraySlice<UInt8>) throws(AttachmentCryptoError) -> Data {
        let index = nextIndex
        guard let plaintext = cipher.open(sealed, index: index, isFinal: false) else {
            // The final chunk with more bytes after it: something was appended.
            if cipher.open(sealed, index: index, isFinal: true) != nil { throw .dataAfterFinalChunk }
            throw .chunkAuthenticationFailed(index: index)
        }
        guard index < UInt32.max else { throw .tooManyChunks }
        nextIndex += 1
        plaintextByteCount += UInt64(plaintext.count)
        return plaintext
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
