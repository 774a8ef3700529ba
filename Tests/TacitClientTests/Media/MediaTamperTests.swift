import Foundation
import Testing
@testable import TacitClient
import TacitServer

/// Blobs changed on the server's disk: every download fails with a clear error, and no
/// plaintext is left at (or beside) the destination.
@Suite struct MediaTamperTests {
    /// 16 KiB chunks: a sealed chunk is 16,400 bytes after the 52-byte header.
    static let chunkSize = 16 * 1024
    static let sealed = chunkSize + 16
    static func chunkOffset(_ index: Int) -> Int { 52 + index * sealed }

    enum Damage: String, CaseIterable, Sendable {
        case flippedByte, droppedChunk, swappedChunks, truncatedAtChunkBoundary, truncatedDataFileOnly, extraChunk
    }

    @Test(arguments: Damage.allCases)
    func damagedBlobFailsToVerify(_ damage: Damage) async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: 10 * Self.chunkSize + 100, in: folder)
        let uploader = try server.makeDevice(account: "alice").transfers(MediaTransferOptions(chunkSize: Self.chunkSize))
        let descriptor = try await uploader.uploadAttachment(file: source, mediaType: "application/octet-stream")
        let files = server.files(of: descriptor.blobID)
        var blob = try Data(contentsOf: files.data)
        var fixSidecar = true
        switch damage {
        case .flippedByte:
            blob[Self.chunkOffset(3) + 100] ^= 0x01
        case .droppedChunk:
            blob.removeSubrange(Self.chunkOffset(3)..<Self.chunkOffset(4))
        case .swappedChunks:
            let two = blob[Self.chunkOffset(2)..<Self.chunkOffset(3)]
            let three = blob[Self.chunkOffset(3)..<Self.chunkOffset(4)]
            blob.replaceSubrange(Self.chunkOffset(2)..<Self.chunkOffset(4), with: three + two)
        case .truncatedAtChunkBoundary:
            blob = blob.prefix(Self.chunkOffset(7))
        case .truncatedDataFileOnly:
            blob = blob.prefix(Self.chunkOffset(7) + 5)
            fixSidecar = false
        case .extraChunk:
            blob += blob[Self.chunkOffset(1)..<Self.chunkOffset(2)]
        }
        try blob.write(to: files.data)
        if fixSidecar { try Self.setConfirmedLength(UInt64(blob.count), sidecar: files.metadata) }

        let output = folder.appendingPathComponent("out.bin")
        let reader = try server.makeDevice(account: "bob")
            .transfers(MediaTransferOptions(maxRetries: 2, retryDelay: .milliseconds(10)))
        var events: [MediaTransferEvent] = []
        for await event in reader.downloadAttachment(descriptor, to: output) { events.append(event) }
        guard case .failed(let error)? = events.last else {
            Issue.record("\(damage): the download did not fail: \(events.last.map { "\($0)" } ?? "no events")")
            return
        }
        switch (damage, error) {
        case (.truncatedDataFileOnly, .server(500, "internal", _)):
            break // the server notices its own file is short and refuses to serve it
        case (.truncatedDataFileOnly, _):
            Issue.record("a short data file: \(error)")
        case (_, .verificationFailed):
            break
        default:
            Issue.record("\(damage): \(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("out.bin") }
        #expect(leftovers.isEmpty, "partial plaintext left behind: \(leftovers)")
        if damage != .truncatedDataFileOnly {
            #expect(error.description.contains("does not verify"))
        }
    }

    /// Rewrites the sidecar's confirmed length, as a store that lost or gained bytes would show.
    static func setConfirmedLength(_ length: UInt64, sidecar: URL) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: sidecar)) as? [String: Any])
        object["length"] = length
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: sidecar)
    }

    @Test func aDescriptorWithAnotherKeyIsRefused() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: 70_000, in: folder)
        let descriptor = try await server.makeDevice(account: "alice").transfers()
            .uploadAttachment(file: source, mediaType: "application/octet-stream")
        let other = descriptor.file
        let forged = try AttachmentDescriptor(
            blobID: descriptor.blobID,
            file: AttachmentEncryptedFile(key: Data(repeating: 9, count: 32), noncePrefix: other.noncePrefix,
                                          chunkSize: other.chunkSize, ciphertextSHA256: other.ciphertextSHA256,
                                          plaintextSize: other.plaintextSize, ciphertextSize: other.ciphertextSize),
            mediaType: descriptor.mediaType)
        let output = folder.appendingPathComponent("out.bin")
        await #expect(throws: MediaError.verificationFailed(.keyMismatch)) {
            try await server.makeDevice(account: "bob").transfers().fetchAttachment(forged, to: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
