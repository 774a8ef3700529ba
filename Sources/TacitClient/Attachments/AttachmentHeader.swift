import Foundation

/// The 52-byte header at the start of every attachment blob (see ``AttachmentFormat``).
struct AttachmentHeader: Equatable, Sendable {
    var chunkSize: Int
    var noncePrefix: [UInt8]
    var keyCommitment: [UInt8]

    /// The first 20 bytes: everything the key schedule uses as salt.
    static func prefixBytes(chunkSize: Int, noncePrefix: [UInt8]) -> [UInt8] {
        var bytes = AttachmentFormat.magic
        bytes.reserveCapacity(AttachmentFormat.headerByteCount)
        bytes.append(AttachmentFormat.version)
        bytes.append(AttachmentFormat.aeadAES256GCM)
        bytes.append(contentsOf: [0, 0])
        bytes.append(contentsOf: AttachmentFormat.bigEndian(UInt32(truncatingIfNeeded: chunkSize)))
        bytes.append(contentsOf: noncePrefix)
        return bytes
    }

    var bytes: [UInt8] {
        Self.prefixBytes(chunkSize: chunkSize, noncePrefix: noncePrefix) + keyCommitment
    }

    /// Parses exactly ``AttachmentFormat/headerByteCount`` bytes.
    init(parsing bytes: some Collection<UInt8>) throws(AttachmentCryptoError) {
        let bytes = Array(bytes)
        guard bytes.count == AttachmentFormat.headerByteCount,
              Array(bytes[0..<4]) == AttachmentFormat.magic,
              bytes[4] == AttachmentFormat.version,
              bytes[5] == AttachmentFormat.aeadAES256GCM,
              bytes[6] == 0, bytes[7] == 0
        else { throw .unsupportedFormat }
        let chunkSize = bytes[8..<12].reduce(0) { $0 << 8 | Int($1) }
        guard AttachmentFormat.chunkSizeRange.contains(chunkSize) else { throw .unsupportedFormat }
        self.chunkSize = chunkSize
        self.noncePrefix = Array(bytes[12..<20])
        self.keyCommitment = Array(bytes[20..<52])
    }

    init(chunkSize: Int, noncePrefix: [UInt8], keyCommitment: [UInt8]) {
        self.chunkSize = chunkSize
        self.noncePrefix = noncePrefix
        self.keyCommitment = keyCommitment
    }
}
