import Crypto
import Foundation

/// Seals and opens single chunks of one attachment: the key schedule, nonces and AAD of
/// ``AttachmentFormat``. Pure; the stream types do the buffering.
struct AttachmentChunkCipher: Sendable {
    let header: AttachmentHeader
    /// The encoded header; also the start of every chunk's AAD.
    let headerBytes: [UInt8]
    private let chunkKey: SymmetricKey

    /// Derives the chunk key and header for a 32-byte `fileKey` and an 8-byte `noncePrefix`.
    init(fileKey: SymmetricKey, chunkSize: Int, noncePrefix: [UInt8]) throws(AttachmentCryptoError) {
        guard AttachmentFormat.chunkSizeRange.contains(chunkSize) else { throw .invalidChunkSize(chunkSize) }
        guard noncePrefix.count == AttachmentFormat.noncePrefixByteCount,
              fileKey.bitCount == AttachmentFormat.keyByteCount * 8
        else { throw .keyMismatch }
        let salt = AttachmentHeader.prefixBytes(chunkSize: chunkSize, noncePrefix: noncePrefix)
        let prk = HKDF<SHA256>.extract(inputKeyMaterial: fileKey, salt: salt)
        self.chunkKey = HKDF<SHA256>.expand(
            pseudoRandomKey: prk, info: AttachmentFormat.chunkKeyLabel, outputByteCount: 32)
        let commitment = HKDF<SHA256>.expand(
            pseudoRandomKey: prk, info: AttachmentFormat.keyCommitmentLabel, outputByteCount: 32)
        self.header = AttachmentHeader(
            chunkSize: chunkSize, noncePrefix: noncePrefix,
            keyCommitment: commitment.withUnsafeBytes { Array($0) })
        self.headerBytes = header.bytes
    }

    var chunkSize: Int { header.chunkSize }

    /// Sealed size of a non-final chunk.
    var sealedChunkSize: Int { header.chunkSize + AttachmentFormat.tagByteCount }

    /// Returns `ciphertext || tag` of chunk `index`.
    func seal(_ plaintext: some DataProtocol, index: UInt32, isFinal: Bool) throws(AttachmentCryptoError) -> Data {
        let parts = try sealParts(plaintext, index: index, isFinal: isFinal)
        var sealed = Data(capacity: parts.ciphertext.count + parts.tag.count)
        sealed.append(parts.ciphertext)
        sealed.append(parts.tag)
        return sealed
    }

    /// Chunk `index` sealed, as two slices of AES-GCM's own output: no copy for callers that
    /// hash and send the bytes as they are (the upload path, where copies cost more than
    /// the encryption). The slices' indices do not start at 0.
    func sealParts(_ plaintext: some DataProtocol, index: UInt32,
                   isFinal: Bool) throws(AttachmentCryptoError) -> (ciphertext: Data, tag: Data) {
        do {
            let box = try AES.GCM.seal(
                plaintext, using: chunkKey, nonce: nonce(index),
                authenticating: additionalData(index: index, isFinal: isFinal))
            return (box.ciphertext, box.tag)
        } catch {
            throw .io("AES-GCM seal failed: \(error)")
        }
    }

    /// Opens `ciphertext || tag` of chunk `index`; `nil` if it does not authenticate under this
    /// index and final flag.
    func open(_ sealed: some DataProtocol, index: UInt32, isFinal: Bool) -> Data? {
        guard sealed.count >= AttachmentFormat.tagByteCount else { return nil }
        let tagStart = sealed.index(sealed.endIndex, offsetBy: -AttachmentFormat.tagByteCount)
        guard let nonce = try? nonce(index),
              let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: sealed[..<tagStart], tag: sealed[tagStart...])
        else { return nil }
        return try? AES.GCM.open(box, using: chunkKey, authenticating: additionalData(index: index, isFinal: isFinal))
    }

    /// `nonce_prefix || uint32_be(index)`: 12 bytes, GCM's native nonce size.
    private func nonce(_ index: UInt32) throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: header.noncePrefix + AttachmentFormat.bigEndian(index))
    }

    private func additionalData(index: UInt32, isFinal: Bool) -> [UInt8] {
        var aad = headerBytes
        aad.reserveCapacity(headerBytes.count + 5)
        aad.append(contentsOf: AttachmentFormat.bigEndian(index))
        aad.append(isFinal ? 1 : 0)
        return aad
    }
}
