import Foundation

/// The Tacit chunked attachment format, version 1 ("TCAF1").
///
/// An attachment is encrypted on the sending device under a fresh random 32-byte *file key*,
/// uploaded as an opaque blob, and described to the recipients by an ``AttachmentDescriptor``
/// that travels inside the (MLS-encrypted) message. The blob is a header followed by one or
/// more sealed chunks:
///
/// ```
/// blob   = header || chunk_0 || chunk_1 || ... || chunk_(n-1)
///
/// header (52 bytes):
///   offset  size  field
///    0       4    magic "TCAF" (0x54 0x43 0x41 0x46)
///    4       1    version = 0x01
///    5       1    AEAD = 0x01 (AES-256-GCM)
///    6       2    reserved = 0x0000
///    8       4    chunk_size, big-endian, 1 ... 16 MiB (plaintext bytes per chunk)
///   12       8    nonce_prefix, random per file
///   20      32    key_commitment
///
/// prk            = HKDF-Extract(salt = header[0..<20], IKM = file_key)        (SHA-256)
/// chunk_key      = HKDF-Expand(prk, "tacit attachment v1 chunk key", 32)
/// key_commitment = HKDF-Expand(prk, "tacit attachment v1 key commitment", 32)
///
/// chunk_i = AES-256-GCM-Seal(key   = chunk_key,
///                            nonce = nonce_prefix || uint32_be(i),
///                            aad   = header || uint32_be(i) || final_i,
///                            plaintext_i)                   -- ciphertext || 16-byte tag
/// final_i = 0x01 for i == n-1, else 0x00
/// ```
///
/// - The plaintext is cut into `n = max(1, ceil(size / chunk_size))` pieces. Every piece but
///   the last has exactly `chunk_size` bytes; the last has 1 ... `chunk_size` bytes, and an
///   empty file is a single final chunk of zero bytes. So a sealed non-final chunk is exactly
///   `chunk_size + 16` bytes, and the blob size is `52 + size + 16 * n`.
/// - Chunk indices are 32-bit: at most 2^32 chunks per file.
/// - Binding the index into nonce and AAD detects reordering, dropping and duplicating chunks;
///   binding the final flag detects truncation at a chunk boundary and chunks appended after
///   the final one; binding the header detects any change to it.
/// - The key commitment makes the ciphertext commit to one key (AES-GCM alone does not), so a
///   sender cannot craft one blob that opens to different files under different keys, and a
///   wrong key is reported as such before any chunk is opened.
/// - The descriptor additionally carries the SHA-256 of the whole blob and both sizes, which
///   the decryptor checks too; the server checks the same digest when an upload is finished.
///
/// AES-256-GCM rather than ChaChaPoly: every platform Tacit targets (x86-64 servers and
/// desktops, Apple silicon, ARMv8 phones) has AES and carry-less-multiply instructions, where
/// BoringSSL's AES-GCM runs several times faster than ChaCha20-Poly1305. The usual GCM worries
/// do not apply here: the key is fresh per file (so nonces never repeat across files) and a
/// chunk is at most 16 MiB, far below GCM's per-message limit.
public enum AttachmentFormat {
    /// "TCAF", the first four bytes of every attachment blob.
    static let magic: [UInt8] = [0x54, 0x43, 0x41, 0x46]
    static let version: UInt8 = 1
    /// Identifies AES-256-GCM in the header.
    static let aeadAES256GCM: UInt8 = 1

    /// Size of the blob header in bytes.
    public static let headerByteCount = 52
    /// Bytes of the header covered by the key schedule salt (everything before the commitment).
    static let headerPrefixByteCount = 20
    /// Size of the AES-GCM authentication tag that ends every sealed chunk.
    public static let tagByteCount = 16
    /// Size of the random per-file file key.
    public static let keyByteCount = 32
    /// Size of the random per-file nonce prefix.
    public static let noncePrefixByteCount = 8
    /// Size of a SHA-256 digest.
    public static let digestByteCount = 32

    /// The chunk size used unless the caller picks another: 64 KiB.
    public static let defaultChunkSize = 64 * 1024
    /// Chunk sizes a blob may declare. The upper bound caps the memory a decryptor needs.
    public static let chunkSizeRange: ClosedRange<Int> = 1...(16 * 1024 * 1024)
    /// The largest number of chunks in one file (the index is 32 bits).
    public static let maxChunkCount: UInt64 = 1 << 32

    static let chunkKeyLabel = Array("tacit attachment v1 chunk key".utf8)
    static let keyCommitmentLabel = Array("tacit attachment v1 key commitment".utf8)

    /// Number of chunks a plaintext of `plaintextSize` bytes is cut into.
    public static func chunkCount(plaintextSize: UInt64, chunkSize: Int) -> UInt64 {
        let size = UInt64(chunkSize)
        guard size > 0 else { return 0 }
        return max(1, plaintextSize / size + (plaintextSize % size == 0 ? 0 : 1))
    }

    /// The exact blob size for a plaintext of `plaintextSize` bytes, or `nil` if the chunk size
    /// is out of range, the file needs more than ``maxChunkCount`` chunks, or the size overflows.
    public static func ciphertextSize(plaintextSize: UInt64, chunkSize: Int) -> UInt64? {
        guard chunkSizeRange.contains(chunkSize) else { return nil }
        let chunks = chunkCount(plaintextSize: plaintextSize, chunkSize: chunkSize)
        guard chunks <= maxChunkCount else { return nil }
        let (tags, tagsOverflow) = chunks.multipliedReportingOverflow(by: UInt64(tagByteCount))
        let (body, bodyOverflow) = plaintextSize.addingReportingOverflow(tags)
        let (total, totalOverflow) = body.addingReportingOverflow(UInt64(headerByteCount))
        guard !tagsOverflow, !bodyOverflow, !totalOverflow else { return nil }
        return total
    }

    /// The four big-endian bytes of `value`.
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}
