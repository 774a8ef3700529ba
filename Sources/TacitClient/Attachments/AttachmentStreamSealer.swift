import Crypto
import Foundation

/// Incremental encryption of one file: takes plaintext in pieces of any size and returns the
/// blob in order (header first, then one sealed chunk per element), hashing what it returns.
///
/// It holds back at most one chunk of plaintext, because a chunk can only be sealed once it is
/// known whether more data follows (the final flag).
struct AttachmentStreamSealer {
    private let cipher: AttachmentChunkCipher
    private let fileKey: Data
    private var pending: [UInt8] = []
    private var nextIndex: UInt32 = 0
    private var headerEmitted = false
    private var digest = SHA256()
    private var plaintextByteCount: UInt64 = 0
    private var ciphertextByteCount: UInt64 = 0

    init(fileKey: Data, noncePrefix: Data, chunkSize: Int) throws(AttachmentCryptoError) {
        self.cipher = try AttachmentChunkCipher(
            fileKey: SymmetricKey(data: fileKey), chunkSize: chunkSize, noncePrefix: Array(noncePrefix))
        self.fileKey = fileKey
        pending.reserveCapacity(chunkSize)
    }

    /// Adds plaintext; returns the blob bytes that became final.
    mutating func append(_ plaintext: some DataProtocol) throws(AttachmentCryptoError) -> [Data] {
        var output = takeHeader()
        for region in plaintext.regions {
            // withUnsafeBytes rethrows untyped errors; carry ours out by hand.
            let failure: AttachmentCryptoError? = region.withUnsafeBytes { raw in
                do throws(AttachmentCryptoError) {
                    try absorb(raw, into: &output)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
        }
        return output
    }

    /// Seals the final chunk; returns it (after the header, for an empty file) and the facts
    /// about the finished file.
    mutating func finish() throws(AttachmentCryptoError) -> (output: [Data], file: AttachmentEncryptedFile) {
        var output = takeHeader()
        let last = try cipher.seal(pending, index: nextIndex, isFinal: true)
        record(last, plaintextCount: pending.count, into: &output)
        pending.removeAll()
        let digestBytes = Data(digest.finalize())
        do {
            let file = try AttachmentEncryptedFile(
                key: fileKey, noncePrefix: Data(cipher.header.noncePrefix), chunkSize: cipher.chunkSize,
                ciphertextSHA256: digestBytes, plaintextSize: plaintextByteCount,
                ciphertextSize: ciphertextByteCount)
            return (output, file)
        } catch {
            // Only reachable past maxChunkCount, which append already refuses.
            throw .tooManyChunks
        }
    }

    private mutating func absorb(_ raw: UnsafeRawBufferPointer, into output: inout [Data]) throws(AttachmentCryptoError) {
        let chunkSize = cipher.chunkSize
        var offset = 0
        while offset < raw.count {
            if pending.count == chunkSize {
                // More data follows, so the held-back chunk is not the final one.
                let sealed = try sealNonFinal(pending)
                record(sealed, plaintextCount: chunkSize, into: &output)
                pending.removeAll(keepingCapacity: true)
            }
            let remaining = raw.count - offset
            if pending.isEmpty && remaining > chunkSize {
                // Whole chunk with data after it: seal in place, no copy into `pending`.
                let slice = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + chunkSize)])
                let sealed = try sealNonFinal(slice)
                record(sealed, plaintextCount: chunkSize, into: &output)
                offset += chunkSize
                continue
            }
            let take = min(chunkSize - pending.count, remaining)
            pending.append(contentsOf: raw[offset..<(offset + take)])
            offset += take
        }
    }

    private mutating func sealNonFinal(_ plaintext: some DataProtocol) throws(AttachmentCryptoError) -> Data {
        // The chunk after this one needs an index too.
        guard nextIndex < UInt32.max else { throw .tooManyChunks }
        let sealed = try cipher.seal(plaintext, index: nextIndex, isFinal: false)
        nextIndex += 1
        return sealed
    }

    private mutating func takeHeader() -> [Data] {
        guard !headerEmitted else { return [] }
        headerEmitted = true
        var output: [Data] = []
        record(Data(cipher.headerBytes), plaintextCount: 0, into: &output)
        return output
    }

    private mutating func record(_ bytes: Data, plaintextCount: Int, into output: inout [Data]) {
        digest.update(data: bytes)
        plaintextByteCount += UInt64(plaintextCount)
        ciphertextByteCount += UInt64(bytes.count)
        output.append(bytes)
    }
}
