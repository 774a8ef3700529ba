import Foundation
import Testing
@testable import TacitClient

@Suite("Attachment descriptor encoding")
struct AttachmentDescriptorTests {
    static func file(plaintextSize: UInt64 = 100_000, seed: UInt8 = 0) throws -> AttachmentEncryptedFile {
        try AttachmentEncryptedFile(
            key: Data((0..<32).map { $0 &+ seed }), noncePrefix: Data((0..<8).map { 0xA0 + $0 }),
            chunkSize: 65536, ciphertextSHA256: Data(repeating: 0xCD, count: 32), plaintextSize: plaintextSize,
            ciphertextSize: 52 + plaintextSize + 16 * max(1, (plaintextSize + 65535) / 65536))
    }

    static func full() throws -> AttachmentDescriptor {
        let thumbnail = try AttachmentThumbnailDescriptor(
            blobID: "thumb_1", file: file(plaintextSize: 900, seed: 9), mediaType: "image/jpeg",
            imageSize: AttachmentImageSize(width: 64, height: 48))
        return try AttachmentDescriptor(
            blobID: String(repeating: "ab", count: 32), file: file(), mediaType: "video/mp4",
            fileName: "Ferien 2025 – Strand.mp4", imageSize: AttachmentImageSize(width: 1920, height: 1080),
            durationMilliseconds: 61_250, thumbnail: thumbnail)
    }

    /// Tag-length-value field built by hand, independent of the encoder.
    static func field(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
        [tag, UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
    }

    static func uint(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func minimalBytes(extra: [UInt8] = []) -> [UInt8] {
        [1] + field(1, Array("blob-1".utf8)) + field(2, Array(0..<32)) + field(3, (0..<8).map { 0xA0 + $0 })
            + field(4, uint(65536, bytes: 4)) + field(5, Array(repeating: 0xCD, count: 32))
            + field(6, uint(5, bytes: 8)) + field(7, uint(52 + 5 + 16, bytes: 8)) + field(8, Array("text/plain".utf8))
            + extra
    }

    @Test("full descriptor round trip")
    func fullRoundTrip() throws {
        let descriptor = try Self.full()
        let decoded = try AttachmentDescriptor(serializedBytes: descriptor.serializedBytes())
        #expect(decoded == descriptor)
        #expect(decoded.thumbnail?.imageSize?.width == 64)
        #expect(decoded.fileName == "Ferien 2025 – Strand.mp4")
    }

    @Test("the encoding is the documented byte layout")
    func stableBytes() throws {
        let descriptor = try AttachmentDescriptor(
            blobID: "blob-1", file: Self.file(plaintextSize: 5), mediaType: "text/plain")
        #expect(descriptor.serializedBytes() == Self.minimalBytes())
        #expect(try AttachmentDescriptor(serializedBytes: Self.minimalBytes()) == descriptor)

        let withOptionals = try AttachmentDescriptor(
            blobID: "blob-1", file: Self.file(plaintextSize: 5), mediaType: "text/plain", fileName: "a.txt",
            imageSize: AttachmentImageSize(width: 2, height: 3), durationMilliseconds: 1 << 40)
        let expected = Self.minimalBytes(extra: Self.field(9, Array("a.txt".utf8))
            + Self.field(10, Self.uint(2, bytes: 4) + Self.uint(3, bytes: 4)) + Self.field(11, Self.uint(1 << 40, bytes: 8)))
        #expect(withOptionals.serializedBytes() == expected)
    }

    @Test("unknown fields are skipped")
    func unknownFieldSkipped() throws {
        let bytes = Self.minimalBytes(extra: Self.field(200, [1, 2, 3]))
        #expect(try AttachmentDescriptor(serializedBytes: bytes).blobID == "blob-1")
    }

    @Test("truncations are refused, except whole optional fields cut off the end")
    func truncations() throws {
        let full = try Self.full()
        let bytes = full.serializedBytes()
        // Ends of the top-level fields after mediaType (tag 8): cutting there only drops
        // optional fields. The MLS message around the descriptor is what protects it from that.
        var optionalBoundaries: Set<Int> = []
        var index = 1
        while index < bytes.count {
            let tag = bytes[index]
            index += 3 + (Int(bytes[index + 1]) << 8 | Int(bytes[index + 2]))
            if tag >= 8 { optionalBoundaries.insert(index) }
        }
        #expect(optionalBoundaries.count == 5)
        for length in 0..<bytes.count {
            if optionalBoundaries.contains(length) {
                #expect(try AttachmentDescriptor(serializedBytes: bytes.prefix(length)) != full)
            } else {
                #expect(throws: AttachmentDescriptorError.self) { try AttachmentDescriptor(serializedBytes: bytes.prefix(length)) }
            }
        }
    }

    @Test("malformed encodings give precise errors")
    func malformed() throws {
        let minimal = Self.minimalBytes()
        #expect(throws: AttachmentDescriptorError.unsupportedVersion(2)) {
            try AttachmentDescriptor(serializedBytes: [2] + minimal.dropFirst())
        }
        #expect(throws: AttachmentDescriptorError.fieldOutOfOrder(tag: 8)) {
            try AttachmentDescriptor(serializedBytes: minimal + Self.field(8, Array("text/html".utf8)))
        }
        #expect(throws: AttachmentDescriptorError.missingField("mediaType")) {
            try AttachmentDescriptor(serializedBytes: minimal.prefix(minimal.count - 13))
        }
        #expect(throws: AttachmentDescriptorError.truncated) {
            try AttachmentDescriptor(serializedBytes: minimal + [9, 0, 5, 0x61])
        }
        var shortKey = minimal
        shortKey.replaceSubrange(10..<45, with: Self.field(2, Array(0..<31)))
        #expect(throws: AttachmentDescriptorError.invalidField("key")) { try AttachmentDescriptor(serializedBytes: shortKey) }
        #expect(throws: AttachmentDescriptorError.invalidField("fileName")) {
            try AttachmentDescriptor(serializedBytes: minimal + Self.field(9, [0x61, 0xFF]))
        }
        #expect(throws: AttachmentDescriptorError.invalidField("imageSize")) {
            try AttachmentDescriptor(serializedBytes: minimal + Self.field(10, Self.uint(0, bytes: 8)))
        }
    }

    @Test("sizes that do not fit the chunk size are refused")
    func inconsistentSizes() {
        #expect(throws: AttachmentDescriptorError.invalidField("ciphertextSize")) {
            try AttachmentEncryptedFile(
                key: Data(count: 32), noncePrefix: Data(count: 8), chunkSize: 1000,
                ciphertextSHA256: Data(count: 32), plaintextSize: 2000, ciphertextSize: 52 + 2000 + 16)
        }
        #expect(throws: AttachmentDescriptorError.invalidField("chunkSize")) {
            try AttachmentEncryptedFile(
                key: Data(count: 32), noncePrefix: Data(count: 8), chunkSize: 0,
                ciphertextSHA256: Data(count: 32), plaintextSize: 0, ciphertextSize: 68)
        }
    }

    @Test("unsafe names and ids are refused",
          arguments: ["../etc/passwd", "a/b", "a\\b", "..", "line\nbreak", "photo\u{202E}gpj.exe", "", "\u{85}x"])
    func unsafeFileNames(name: String) throws {
        #expect(throws: AttachmentDescriptorError.invalidField("fileName")) {
            try AttachmentDescriptor(blobID: "b", file: Self.file(), mediaType: "image/png", fileName: name)
        }
    }

    @Test("blob ids and media types are checked")
    func idsAndTypes() throws {
        for id in ["", "a b", "a/b", String(repeating: "a", count: 129), "ä"] {
            #expect(throws: AttachmentDescriptorError.invalidField("blobID")) {
                try AttachmentDescriptor(blobID: id, file: Self.file(), mediaType: "image/png")
            }
        }
        for type in ["", "png", "image/\u{7}png", "image/pngé"] {
            #expect(throws: AttachmentDescriptorError.invalidField("mediaType")) {
                try AttachmentDescriptor(blobID: "b", file: Self.file(), mediaType: type)
            }
        }
        #expect(try AttachmentDescriptor(blobID: "b", file: Self.file(), mediaType: "audio/ogg; codecs=opus").mediaType
            == "audio/ogg; codecs=opus")
    }

    @Test("the description does not print the key")
    func descriptionHidesKey() throws {
        let file = try Self.file()
        #expect(!"\(file)".contains("key"))
        #expect("\(file)".contains("plaintextSize: 100000"))
    }
}
