import Crypto
import Foundation

/// Everything needed to fetch-verify and decrypt one encrypted file: its file key, nonce prefix,
/// chunk size, the SHA-256 of the whole blob and both sizes.
///
/// ``AttachmentEncryptor`` returns one per file; it travels to recipients inside an
/// ``AttachmentDescriptor``. The initializer checks that the values fit together, so a
/// descriptor from another device cannot make the decryptor accept a blob of a different size.
public struct AttachmentEncryptedFile: Hashable, Sendable {
    /// The 32-byte file key. Secret.
    public let key: Data
    /// The 8-byte per-file nonce prefix.
    public let noncePrefix: Data
    /// Plaintext bytes per chunk.
    public let chunkSize: Int
    /// SHA-256 of the whole blob (header and all chunks).
    public let ciphertextSHA256: Data
    /// Size of the decrypted file in bytes.
    public let plaintextSize: UInt64
    /// Size of the blob in bytes; always `AttachmentFormat.ciphertextSize(plaintextSize:chunkSize:)`.
    public let ciphertextSize: UInt64

    /// Checks lengths and ranges and that `ciphertextSize` is the size the format gives for
    /// `plaintextSize` and `chunkSize`.
    public init(
        key: Data, noncePrefix: Data, chunkSize: Int, ciphertextSHA256: Data,
        plaintextSize: UInt64, ciphertextSize: UInt64
    ) throws(AttachmentDescriptorError) {
        guard key.count == AttachmentFormat.keyByteCount else { throw .invalidField("key") }
        guard noncePrefix.count == AttachmentFormat.noncePrefixByteCount else { throw .invalidField("noncePrefix") }
        guard AttachmentFormat.chunkSizeRange.contains(chunkSize) else { throw .invalidField("chunkSize") }
        guard ciphertextSHA256.count == AttachmentFormat.digestByteCount else { throw .invalidField("ciphertextSHA256") }
        guard let expected = AttachmentFormat.ciphertextSize(plaintextSize: plaintextSize, chunkSize: chunkSize)
        else { throw .invalidField("plaintextSize") }
        guard expected == ciphertextSize else { throw .invalidField("ciphertextSize") }
        self.key = key
        self.noncePrefix = noncePrefix
        self.chunkSize = chunkSize
        self.ciphertextSHA256 = ciphertextSHA256
        self.plaintextSize = plaintextSize
        self.ciphertextSize = ciphertextSize
    }

    /// The chunk cipher for this file.
    func makeCipher() throws(AttachmentCryptoError) -> AttachmentChunkCipher {
        try AttachmentChunkCipher(fileKey: SymmetricKey(data: key), chunkSize: chunkSize, noncePrefix: Array(noncePrefix))
    }
}

extension AttachmentEncryptedFile: CustomStringConvertible {
    /// Leaves out the key, so logging a file never leaks it.
    public var description: String {
        "AttachmentEncryptedFile(plaintextSize: \(plaintextSize), ciphertextSize: \(ciphertextSize), chunkSize: \(chunkSize))"
    }
}
