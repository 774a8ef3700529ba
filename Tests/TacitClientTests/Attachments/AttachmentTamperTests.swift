import Crypto
import Foundation
import Testing
@testable import TacitClient

/// A blob of 4 full chunks and a final one of 500 bytes (by default), and helpers to mangle it.
struct AttachmentTamperFixture {
    static let chunkSize = 1000
    static let sealed = chunkSize + 16
    let plaintext: [UInt8]
    let blob: [UInt8]
    let file: AttachmentEncryptedFile

    static func make(plaintextSize: Int = 4 * chunkSize + 500) async throws -> AttachmentTamperFixture {
        var generator = AttachmentTestBytes(seed: 99)
        let plaintext = generator.next(plaintextSize)
        var blob: [UInt8] = []
        let file = try await AttachmentEncryptor(chunkSize: chunkSize)
            .encrypt(AttachmentTestPieces(plaintext, sizes: [4096])) { blob += $0 }
        return AttachmentTamperFixture(plaintext: plaintext, blob: blob, file: file)
    }

    /// Byte range of chunk `index` in the blob.
    func chunk(_ index: Int) -> Range<Int> {
        let start = 52 + index * Self.sealed
        return start..<Swift.min(blob.count, start + Self.sealed)
    }

    var header: [UInt8] { Array(blob[0..<52]) }
    func bytes(ofChunk index: Int) -> [UInt8] { Array(blob[chunk(index)]) }
    func chunks(_ indices: [Int]) -> [UInt8] { header + indices.flatMap { bytes(ofChunk: $0) } }

    func flipping(_ offset: Int) -> [UInt8] {
        var copy = blob
        copy[offset] ^= 0x01
        return copy
    }

    /// A descriptor for the same blob with one thing changed.
    func file(key: Data? = nil, digest: Data? = nil) throws -> AttachmentEncryptedFile {
        try AttachmentEncryptedFile(
            key: key ?? file.key, noncePrefix: file.noncePrefix, chunkSize: file.chunkSize,
            ciphertextSHA256: digest ?? file.ciphertextSHA256, plaintextSize: file.plaintextSize,
            ciphertextSize: file.ciphertextSize)
    }
}

@Suite("Attachment decryption refuses tampered blobs")
struct AttachmentTamperTests {
    /// Decrypts `blob` from a file into an empty directory; returns the error and what the
    /// directory holds afterwards.
    func decrypt(_ blob: [UInt8], file: AttachmentEncryptedFile) async throws -> (AttachmentCryptoError?, [String]) {
        let input = try AttachmentTestDirectory()
        let output = try AttachmentTestDirectory()
        defer { input.remove(); output.remove() }
        try Data(blob).write(to: input.file("blob"))
        var failure: AttachmentCryptoError?
        do {
            try await AttachmentDecryptor(file: file).decrypt(contentsOf: input.file("blob"), to: output.file("out"))
        } catch let error as AttachmentCryptoError {
            failure = error
        }
        return (failure, try output.contents())
    }

    @Test("the untouched blob decrypts (so the failures below are caused by the tampering)")
    func control() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(fixture.blob, file: fixture.file)
        #expect(error == nil)
        #expect(contents == ["out"])
    }

    @Test("a flipped byte in a chunk", arguments: [0, 2, 4])
    func flippedChunkByte(index: Int) async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(fixture.flipping(fixture.chunk(index).lowerBound + 7), file: fixture.file)
        #expect(error == .chunkAuthenticationFailed(index: UInt32(index)))
        #expect(contents.isEmpty)
    }

    @Test("a flipped byte in a tag")
    func flippedTagByte() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(fixture.flipping(fixture.chunk(1).upperBound - 1), file: fixture.file)
        #expect(error == .chunkAuthenticationFailed(index: 1))
        #expect(contents.isEmpty)
    }

    @Test("a flipped byte in the header", arguments: [(0, AttachmentCryptoError.unsupportedFormat),
                                                     (4, .unsupportedFormat), (7, .unsupportedFormat),
                                                     (11, .headerMismatch), (15, .headerMismatch),
                                                     (20, .keyMismatch), (51, .keyMismatch)])
    func flippedHeaderByte(offset: Int, expected: AttachmentCryptoError) async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(fixture.flipping(offset), file: fixture.file)
        #expect(error == expected)
        #expect(contents.isEmpty)
    }

    @Test("a dropped chunk")
    func droppedChunk() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(fixture.chunks([0, 2, 3, 4]), file: fixture.file)
        #expect(error == .chunkAuthenticationFailed(index: 1))
        #expect(contents.isEmpty)
    }

    @Test("swapped chunks")
    func swappedChunks() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(fixture.chunks([0, 2, 1, 3, 4]), file: fixture.file)
        #expect(error == .chunkAuthenticationFailed(index: 1))
        #expect(contents.isEmpty)
    }

    @Test("a truncated stream", arguments: [52, 52 + 1016, 52 + 4 * 1016, 52 + 4 * 1016 + 515, 30, 0])
    func truncated(length: Int) async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(Array(fixture.blob.prefix(length)), file: fixture.file)
        #expect(error == .truncated)
        #expect(contents.isEmpty)
    }

    @Test("an appended chunk or byte", arguments: [1016, 1])
    func appended(extra: Int) async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(fixture.blob + fixture.bytes(ofChunk: 1).prefix(extra), file: fixture.file)
        #expect(error == .dataAfterFinalChunk)
        #expect(contents.isEmpty)
    }

    @Test("the wrong key")
    func wrongKey() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let otherKey = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let (error, contents) = try await decrypt(fixture.blob, file: fixture.file(key: otherKey))
        #expect(error == .keyMismatch)
        #expect(contents.isEmpty)
    }

    @Test("a descriptor with another digest")
    func wrongDigest() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let (error, contents) = try await decrypt(fixture.blob, file: fixture.file(digest: Data(repeating: 0, count: 32)))
        #expect(error == .ciphertextDigestMismatch)
        #expect(contents.isEmpty)
    }

    @Test("a failed decryption leaves an existing destination as it was")
    func existingDestinationKept() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let directory = try AttachmentTestDirectory()
        defer { directory.remove() }
        try Data(fixture.flipping(300)).write(to: directory.file("blob"))
        try Data("previous".utf8).write(to: directory.file("out"))
        await #expect(throws: AttachmentCryptoError.chunkAuthenticationFailed(index: 0)) {
            try await AttachmentDecryptor(file: fixture.file).decrypt(contentsOf: directory.file("blob"), to: directory.file("out"))
        }
        #expect(try Data(contentsOf: directory.file("out")) == Data("previous".utf8))
        #expect(try directory.contents() == ["blob", "out"])
    }

    @Test("cancellation removes the partial output")
    func cancellation() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        let directory = try AttachmentTestDirectory()
        defer { directory.remove() }
        let blob = fixture.blob
        let file = fixture.file
        let destination = directory.file("out")
        let task = Task {
            try await AttachmentDecryptor(file: file).decrypt(AttachmentTestSlowPieces(blob), to: destination)
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try directory.contents().isEmpty)
    }
}

/// Pieces of 100 bytes, 10 ms apart: slow enough to cancel in the middle.
struct AttachmentTestSlowPieces: AsyncSequence, Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    struct AsyncIterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        var offset = 0
        mutating func next() async throws -> [UInt8]? {
            guard offset < bytes.count else { return nil }
            try await Task.sleep(for: .milliseconds(10))
            defer { offset += 100 }
            return Array(bytes[offset..<Swift.min(bytes.count, offset + 100)])
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes) }
}

/// The AEAD construction alone (no sizes or digest to lean on) still catches every kind of
/// reordering, truncation and extension.
@Suite("Attachment chunk framing without a descriptor")
struct AttachmentFramingTests {
    func open(_ blob: [UInt8], _ fixture: AttachmentTamperFixture) throws(AttachmentCryptoError) -> [UInt8] {
        var opener = try AttachmentStreamOpener(
            fileKey: fixture.file.key, noncePrefix: fixture.file.noncePrefix, chunkSize: fixture.file.chunkSize)
        var output: [UInt8] = []
        var offset = 0
        while offset < blob.count {
            let piece = blob[offset..<Swift.min(blob.count, offset + 333)]
            for plaintext in try opener.append(piece) { output += plaintext }
            offset += 333
        }
        output += try opener.finish()
        return output
    }

    @Test("the intact blob opens")
    func intact() async throws {
        let fixture = try await AttachmentTamperFixture.make()
        #expect(try open(fixture.blob, fixture) == fixture.plaintext)
    }

    @Test("reordered, dropped and duplicated chunks",
          arguments: [([0, 2, 1, 3, 4], 1), ([0, 1, 2, 4], 3), ([0, 1, 1, 2, 3, 4], 2), ([1, 2, 3, 4], 0)] as [([Int], UInt32)])
    func reordered(order: [Int], failingIndex: UInt32) async throws {
        let fixture = try await AttachmentTamperFixture.make()
        #expect(throws: AttachmentCryptoError.chunkAuthenticationFailed(index: failingIndex)) {
            try open(fixture.chunks(order), fixture)
        }
    }

    @Test("a stream cut at a chunk boundary", arguments: [[0], [0, 1, 2, 3]])
    func truncatedAtBoundary(order: [Int]) async throws {
        let fixture = try await AttachmentTamperFixture.make()
        #expect(throws: AttachmentCryptoError.truncated) { try open(fixture.chunks(order), fixture) }
    }

    @Test("bytes after a full final chunk", arguments: [1, 16, 1016])
    func extendedAfterFullChunk(extra: Int) async throws {
        let fixture = try await AttachmentTamperFixture.make(plaintextSize: 4 * AttachmentTamperFixture.chunkSize)
        #expect(throws: AttachmentCryptoError.dataAfterFinalChunk) {
            try open(fixture.blob + fixture.bytes(ofChunk: 0).prefix(extra), fixture)
        }
    }

    @Test("bytes after a short final chunk merge with it, which then fails", arguments: [1, 16, 1016])
    func extendedAfterShortChunk(extra: Int) async throws {
        let fixture = try await AttachmentTamperFixture.make()
        #expect(throws: AttachmentCryptoError.chunkAuthenticationFailed(index: 4)) {
            try open(fixture.blob + fixture.bytes(ofChunk: 0).prefix(extra), fixture)
        }
    }

    @Test("an empty final chunk after full ones is not the format")
    func emptyFinalChunk() throws {
        let key = Data(repeating: 3, count: 32)
        let prefix = Data(repeating: 4, count: 8)
        let cipher = try AttachmentChunkCipher(fileKey: SymmetricKey(data: key), chunkSize: 4, noncePrefix: Array(prefix))
        let blob = try cipher.headerBytes + cipher.seal([1, 2, 3, 4], index: 0, isFinal: false)
            + cipher.seal([UInt8](), index: 1, isFinal: true)
        var opener = try AttachmentStreamOpener(fileKey: key, noncePrefix: prefix, chunkSize: 4)
        _ = try opener.append(blob)
        #expect(throws: AttachmentCryptoError.malformedChunk(index: 1)) { try opener.finish() }
    }
}
