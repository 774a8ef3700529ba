import Foundation
import Synchronization
import Testing
@testable import TacitClient
import TacitServer

/// Uploads and downloads through the real HTTP blob service on loopback, with real files.
@Suite struct MediaRoundTripTests {
    @Test(arguments: [0, 1, 1023, 1024, 1025, 3 * 1024, 10 * 1024 + 17])
    func smallFilesRoundTripAcrossChunkAndSegmentBoundaries(size: Int) async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let device = server.makeDevice(account: "alice")
        // 1 KiB chunks, 4 chunks per PATCH: every boundary is exercised.
        let transfers = try device.transfers(MediaTransferOptions(chunkSize: 1024, segmentSize: 4 * 1040))
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: size, in: folder)
        let log = MediaEventLog()
        let descriptor = try await transfers.uploadAttachment(file: source, mediaType: "application/octet-stream",
                                                              metadata: AttachmentMetadata(fileName: "plain.bin"),
                                                              progress: log.handler)
        #expect(descriptor.file.plaintextSize == UInt64(size))
        #expect(descriptor.fileName == "plain.bin")
        guard case .started(let total)? = log.all.first, case .completed(.uploaded(let reported))? = log.all.last else {
            Issue.record("events: \(log.all)")
            return
        }
        #expect(total == descriptor.file.ciphertextSize)
        #expect(reported == descriptor)

        // The descriptor travels as bytes; the recipient decodes it.
        let received = try AttachmentDescriptor(serializedBytes: descriptor.serializedBytes())
        let output = folder.appendingPathComponent("out.bin")
        let reader = try server.makeDevice(account: "bob").transfers()
        var last: MediaTransferEvent?
        for await event in reader.downloadAttachment(received, to: output) { last = event }
        guard case .completed(.downloaded(let url))? = last else {
            Issue.record("download ended with \(String(describing: last))")
            return
        }
        #expect(url == output)
        #expect(try MediaTestFiles.same(source, output))
    }

    @Test func fiftyMebibytesRoundTripWithDefaultSettings() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let transfers = try server.makeDevice(account: "alice").transfers()
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: 50 << 20, in: folder)
        let descriptor = try await transfers.uploadAttachment(file: source, mediaType: "video/mp4", expectedRecipients: 1)
        let output = folder.appendingPathComponent("out.bin")
        try await server.makeDevice(account: "bob").transfers().fetchAttachment(descriptor, to: output)
        #expect(try MediaTestFiles.same(source, output))
    }

    @Test func uploadedBlobIsExactlyWhatTheEncryptorProduces() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let device = server.makeDevice(account: "alice")
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: 200_000, in: folder)
        let key = Data(repeating: 0x42, count: 32)
        let nonce = Data(repeating: 0x17, count: 8)
        let options = MediaTransferOptions(chunkSize: 4096, segmentSize: 30_000)
        let uploader = MediaUploader(service: try device.client(), options: options, progress: nil)
        let (id, file) = try await uploader.upload(file: source, expectedFetchCount: 0, key: key, noncePrefix: nonce)
        let reference = folder.appendingPathComponent("reference.tcaf")
        let expected = try await AttachmentEncryptor(chunkSize: 4096, fixedKey: key, noncePrefix: nonce)
            .encrypt(contentsOf: source, to: reference)
        #expect(file == expected)
        #expect(try Data(contentsOf: server.files(of: id).data) == Data(contentsOf: reference))
    }

    @Test func fetchedByAllRecipientsExpiresTheBlob() async throws {
        var limits = BlobLimits()
        limits.retentionAfterAllFetched = 0
        let server = try await MediaTestServer.start(limits: limits)
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: 5000, in: folder)
        let descriptor = try await server.makeDevice(account: "alice").transfers()
            .uploadAttachment(file: source, mediaType: "image/png", expectedRecipients: 2)
        let bob = try server.makeDevice(account: "bob").transfers()
        try await bob.fetchAttachment(descriptor, to: folder.appendingPathComponent("1"))
        // The same device again counts once: the blob stays for the second recipient.
        try await bob.fetchAttachment(descriptor, to: folder.appendingPathComponent("2"))
        let carol = try server.makeDevice(account: "carol").transfers()
        try await carol.fetchAttachment(descriptor, to: folder.appendingPathComponent("3"))
        await #expect(throws: MediaError.server(status: 404, code: "not-found", message: "no such blob")) {
            try await carol.fetchAttachment(descriptor, to: folder.appendingPathComponent("4"))
        }
    }

    @Test func aFileChangedDuringUploadIsAbandoned() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: 3 << 20, in: folder)
        let transfers = try server.makeDevice(account: "alice").transfers(MediaTransferOptions(segmentSize: 1 << 20))
        let touched = Mutex(false)
        await #expect {
            _ = try await transfers.uploadAttachment(file: source, mediaType: "application/octet-stream") { event in
                guard case .progress(let bytes, _) = event, bytes > 1 << 20, !touched.withLock({ $0 }) else { return }
                touched.withLock { $0 = true }
                if let handle = try? FileHandle(forWritingTo: source) {
                    try? handle.seekToEnd()
                    try? handle.write(contentsOf: Data([1]))
                    try? handle.close()
                }
            }
        } throws: { error in
            guard case MediaError.sourceChanged = error else { return false }
            return true
        }
    }
}
