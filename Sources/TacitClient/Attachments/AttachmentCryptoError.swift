import Foundation

/// Why encrypting or decrypting an attachment failed.
///
/// Every failure of ``AttachmentDecryptor`` is one of these (or a `CancellationError`), and no
/// output file is left behind when one is thrown.
public enum AttachmentCryptoError: Error, Equatable, Sendable {
    /// The chunk size is outside ``AttachmentFormat/chunkSizeRange``.
    case invalidChunkSize(Int)
    /// The blob does not start with a version 1 Tacit attachment header.
    case unsupportedFormat
    /// The header's chunk size or nonce prefix differ from the descriptor's.
    case headerMismatch
    /// The header's key commitment does not match the descriptor's key: wrong key, or a
    /// changed header.
    case keyMismatch
    /// Chunk `index` failed authentication: changed, reordered, dropped or duplicated data.
    case chunkAuthenticationFailed(index: UInt32)
    /// Chunk `index` has a length the format never produces.
    case malformedChunk(index: UInt32)
    /// The stream ended before the final chunk.
    case truncated
    /// Data follows the final chunk (or the blob is longer than the descriptor says).
    case dataAfterFinalChunk
    /// The decrypted size differs from the descriptor's plaintext size.
    case plaintextSizeMismatch(expected: UInt64, actual: UInt64)
    /// Every chunk authenticated, but the blob's SHA-256 differs from the descriptor's.
    case ciphertextDigestMismatch
    /// The plaintext needs more than ``AttachmentFormat/maxChunkCount`` chunks.
    case tooManyChunks
    /// Reading the source or writing the destination failed.
    case io(String)
}
