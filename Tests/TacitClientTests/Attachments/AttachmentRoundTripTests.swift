import Crypto
import Foundation
import Testing
@testable import TacitClient

@Suite("Attachment round trips")
struct AttachmentRoundTripTests {
    static let chunk = AttachmentFormat.defaultChunkSize

    @Test("file to file", arguments: [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 17])
    func fileRoundTrip(size: Int) async throws {
        let directory = try AttachmentTestDirectory()
        defer { directory.remove() }
        let plaintextURL = directory.file("plain")
        let plaintextDigest = try AttachmentTestBytes.writeFile(plaintextURL, count: size, seed: UInt64(size) + 1)

        let file = try await AttachmentEncryptor().encrypt(contentsOf: plaintextURL, to: directory.file("blob"))

        let chunks = max(1, (size + Self.chunk - 1) / Self.chunk)
        #expect(file.plaintextSize == UInt64(size))
        #expect(file.ciphertextSize == UInt64(52 + size + 16 * chunks))
        #expect(try AttachmentTestFiles.size(of: directory.file("blob")) == file.ciphertextSize)
        #expect(try AttachmentTestFiles.sha256(of: directory.file("blob")) == file.ciphertextSHA256)
        #expect(file.chunkSize == Self.chunk)

        try await AttachmentDecryptor(file: file).decrypt(contentsOf: directory.file("blob"), to: directory.file("out"))
        #expect(try AttachmentTestFiles.sha256(of: directory.file("out")) == plaintextDigest)
        #expect(try directory.contents() == ["blob", "out", "plain"])
    }

    @Test("a 50 MiB file streams through both ways")
    func largeFile() async throws {
        let directory = try AttachmentTestDirectory()
        defer { directory.remove() }
        let size = 50 << 20
        let plaintextDigest = try AttachmentTestBytes.writeFile(directory.file("plain"), count: size, seed: 50)

        let file = try await AttachmentEncryptor().encrypt(contentsOf: directory.file("plain"), to: directory.file("blob"))
        #expect(file.plaintextSize == UInt64(size))
        #expect(try AttachmentTestFiles.sha256(of: directory.file("blob")) == file.ciphertextSHA256)

        try await AttachmentDecryptor(file: file).decrypt(contentsOf: directory.file("blob"), to: directory.file("out"))
        #expect(try AttachmentTestFiles.sha256(of: directory.file("out")) == plaintextDigest)
    }

    @Test("pieces of any size give the same blob as a file, and decrypt from any pieces")
    func asyncSequences() async throws {
        let directory = try AttachmentTestDirectory()
        defer { directory.remove() }
        var generator = AttachmentTestBytes(seed: 7)
        let plaintext = generator.next(10 * 1000 + 3)
        try Data(plaintext).write(to: directory.file("plain"))
        let encryptor = try AttachmentEncryptor(
            chunkSize: 1000, fixedKey: Data(repeating: 1, count: 32), noncePrefix: Data(repeating: 2, count: 8))

        var fromFile: [Data] = []
        let fileResult = try await encryptor.encrypt(contentsOf: directory.file("plain")) { fromFile.append($0) }
        var fromPieces: [Data] = []
        let pieces = AttachmentTestPieces(plaintext, sizes: [1, 999, 1000, 1001, 2500, 7])
        let piecesResult = try await encryptor.encrypt(pieces) { fromPieces.append($0) }

        #expect(fromPieces == fromFile)
        #expect(fromFile.allSatisfy { $0.startIndex == 0 })
        #expect(piecesResult == fileResult)
        // Header, ten full chunks, one final chunk of 3 bytes.
        #expect(fromFile.map(\.count) == [52] + Array(repeating: 1016, count: 10) + [19])

        let blob = fromFile.reduce(into: [UInt8]()) { $0.append(contentsOf: $1) }
        try await AttachmentDecryptor(file: fileResult)
            .decrypt(AttachmentTestPieces(blob, sizes: [5, 60, 1016, 1017, 3000]), to: directory.file("out"))
        #expect(try Data(contentsOf: directory.file("out")) == Data(plaintext))
    }

    @Test("every file gets its own key and nonce prefix")
    func freshKeys() async throws {
        let encryptor = try AttachmentEncryptor()
        let plaintext = AttachmentTestPieces(Array("same bytes".utf8), sizes: [100])
        let first = try await encryptor.encrypt(plaintext) { _ in }
        let second = try await encryptor.encrypt(plaintext) { _ in }
        #expect(first.key != second.key)
        #expect(first.noncePrefix != second.noncePrefix)
        #expect(first.ciphertextSHA256 != second.ciphertextSHA256)
        #expect(first.key.count == 32 && first.noncePrefix.count == 8)
    }

    @Test("the ciphertext on disk holds no trace of a plaintext marker")
    func noPlaintextInCiphertext() async throws {
        let directory = try AttachmentTestDirectory()
        defer { directory.remove() }
        let marker = Array("TACIT-PLAINTEXT-MARKER-7f3a9c".utf8)
        var plaintext: [UInt8] = []
        for _ in 0..<5000 { plaintext += marker + Array(" filler ".utf8) }
        try Data(plaintext).write(to: directory.file("plain"))

        _ = try await AttachmentEncryptor().encrypt(contentsOf: directory.file("plain"), to: directory.file("blob"))

        // The scan does find the marker where it is, so its silence about the blob means something.
        #expect(try AttachmentTestFiles.contains(marker, in: directory.file("plain")))
        #expect(try !AttachmentTestFiles.contains(marker, in: directory.file("blob")))
        #expect(try !AttachmentTestFiles.contains(Array(marker.prefix(8)), in: directory.file("blob")))
    }

    @Test("a missing source or destination directory is an I/O error, and nothing is written")
    func missingPaths() async throws {
        let directory = try AttachmentTestDirectory()
        defer { directory.remove() }
        try Data("x".utf8).write(to: directory.file("plain"))
        await #expect(throws: AttachmentCryptoError.self) {
            try await AttachmentEncryptor().encrypt(contentsOf: directory.file("absent"), to: directory.file("blob"))
        }
        await #expect(throws: AttachmentCryptoError.self) {
            try await AttachmentEncryptor().encrypt(contentsOf: directory.file("plain"), to: directory.file("no/blob"))
        }
        #expect(try directory.contents() == ["plain"])
    }

    @Test("an invalid chunk size is refused")
    func invalidChunkSize() {
        #expect(throws: AttachmentCryptoError.invalidChunkSize(0)) { try AttachmentEncryptor(chunkSize: 0) }
        #expect(throws: AttachmentCryptoError.invalidChunkSize(16 * 1024 * 1024 + 1)) {
            try AttachmentEncryptor(chunkSize: 16 * 1024 * 1024 + 1)
        }
    }

    @Test("blob sizes follow the format's formula")
    func ciphertextSizes() {
        #expect(AttachmentFormat.ciphertextSize(plaintextSize: 0, chunkSize: 10) == 52 + 16)
        #expect(AttachmentFormat.ciphertextSize(plaintextSize: 10, chunkSize: 10) == 52 + 10 + 16)
        #expect(AttachmentFormat.ciphertextSize(plaintextSize: 11, chunkSize: 10) == 52 + 11 + 32)
        #expect(AttachmentFormat.ciphertextSize(plaintextSize: 1 << 32, chunkSize: 1) == 52 + (1 << 32) * 17)
        #expect(AttachmentFormat.ciphertextSize(plaintextSize: (1 << 32) + 1, chunkSize: 1) == nil)
        #expect(AttachmentFormat.ciphertextSize(plaintextSize: 5, chunkSize: 0) == nil)
        #expect(AttachmentFormat.ciphertextSize(plaintextSize: .max, chunkSize: 16 << 20) == nil)
    }
}
