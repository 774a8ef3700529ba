import Crypto
import Foundation
import Synchronization
import Testing
import TacitServer
@testable import TacitClient

/// Attachments through conversations: a real server, real messengers, real files. The
/// transfer details (tampering, resuming after a server restart, limits) are covered at the
/// MediaTransfers level in TacitClientTests/Media; these check the conversation around them.
@Suite(.serialized) struct AttachmentConversationTests {
    /// Sizes around the default 64 KiB chunk: empty, one byte, a chunk less one, exactly
    /// one, one more.
    @Test(.timeLimit(.minutes(3)), arguments: [0, 1, 65_535, 65_536, 65_537])
    func attachmentsRoundTripBetweenTwoAccounts(size: Int) async throws {
        let server = try await InProcessServer.start()
        defer { Task { await server.stop() } }
        let (alice, bob, group) = try await Self.pair(on: server)
        let folder = TemporaryDirectory.make("attach")
        let file = folder.appendingPathComponent("notes.bin")
        let bytes = Self.pattern(size, seed: UInt8(truncatingIfNeeded: size))
        try Data(bytes).write(to: file)

        let events = Mutex<[MediaTransferEvent]>([])
        let sent = try await alice.messenger.sendAttachment(
            file: file, to: group, kind: .file, caption: "size \(size)", mediaType: "application/octet-stream",
            progress: { event in events.withLock { $0.append(event) } })
        let attachment = try #require(sent.attachment)
        #expect(sent.text == "size \(size)")
        #expect(sent.status == .sent)
        #expect(attachment.descriptor.fileName == "notes.bin")
        #expect(attachment.size == UInt64(size))
        #expect(events.withLock { $0.contains { if case .completed = $0 { true } else { false } } })

        let received = try await Self.waitForAttachment(sent.id, on: bob, in: group)
        #expect(received.attachment == attachment)
        #expect(received.text == "size \(size)")
        #expect(received.sender == "alice")
        let saved = folder.appendingPathComponent("saved.bin")
        try await Self.download(received, by: bob, to: saved)
        #expect(try Data(contentsOf: saved) == Data(bytes))

        // Stored with the message: still there after the app restarts.
        await bob.shutDown()
        let reopened = try await reopenDevice(bob.home, label: "bob-again")
        #expect(try await reopened.messenger.message(sent.id, in: group).attachment == attachment)
        await reopened.shutDown()
        await alice.shutDown()
    }

    @Test(.timeLimit(.minutes(6)))
    func fiftyMebibytesThroughAConversation() async throws {
        let server = try await InProcessServer.start()
        defer { Task { await server.stop() } }
        let (alice, bob, group) = try await Self.pair(on: server)
        let folder = TemporaryDirectory.make("attach-50")
        let file = folder.appendingPathComponent("big.bin")
        let bytes = Self.pattern(50 << 20, seed: 7)
        try Data(bytes).write(to: file)
        let sent = try await alice.messenger.sendAttachment(file: file, to: group, kind: .video, caption: "",
                                                            mediaType: "video/mp4")
        let received = try await Self.waitForAttachment(sent.id, on: bob, in: group)
        #expect(received.attachment?.kind == .video)
        let saved = folder.appendingPathComponent("out.bin")
        let progress = Mutex<[UInt64]>([])
        for await event in try bob.messenger.downloadAttachment(of: received, to: saved) {
            switch event {
            case .progress(let done, _): progress.withLock { $0.append(done) }
            case .failed(let error): Issue.record("download failed: \(error)")
            default: break
            }
        }
        #expect(progress.withLock { $0.count } > 10, "progress is reported as the bytes arrive")
        #expect(SHA256.hash(data: try Data(contentsOf: saved)) == SHA256.hash(data: bytes))
        await alice.shutDown()
        await bob.shutDown()
    }

    /// Only members get the descriptor (its key travels inside MLS). Without it the blob
    /// is just bytes: a non-member who learns the blob id and guesses a key gets a clear
    /// verification error, and nothing is written.
    @Test(.timeLimit(.minutes(3)))
    func aNonMemberNeitherGetsTheKeyNorCanDecryptTheBlob() async throws {
        let server = try await InProcessServer.start()
        defer { Task { await server.stop() } }
        let (alice, bob, group) = try await Self.pair(on: server)
        let carol = try await makeDevice("carol", on: server)
        let folder = TemporaryDirectory.make("attach-member")
        let file = folder.appendingPathComponent("secret.txt")
        try Data(Self.pattern(200_000, seed: 3)).write(to: file)
        let sent = try await alice.messenger.sendAttachment(file: file, to: group, mediaType: "text/plain")
        _ = try await Self.waitForAttachment(sent.id, on: bob, in: group)
        try await Task.sleep(for: .milliseconds(300))
        #expect((try? await carol.messenger.conversation(group)) == nil)
        #expect(carol.events.all.allSatisfy { if case .messageReceived = $0 { false } else { true } })

        let real = try #require(sent.attachment?.descriptor)
        let guessed = try AttachmentEncryptedFile(
            key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }), noncePrefix: real.file.noncePrefix,
            chunkSize: real.file.chunkSize, ciphertextSHA256: real.file.ciphertextSHA256,
            plaintextSize: real.file.plaintextSize, ciphertextSize: real.file.ciphertextSize)
        let forged = try AttachmentDescriptor(blobID: real.blobID, file: guessed, mediaType: real.mediaType)
        let target = folder.appendingPathComponent("carol.txt")
        var failure: MediaError?
        for await event in carol.client.downloadAttachment(forged, to: target) {
            if case .failed(let error) = event { failure = error }
        }
        guard case .verificationFailed = try #require(failure) else {
            Issue.record("expected a verification failure, got \(String(describing: failure))")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        // And a blob id nobody uploaded is simply not there.
        let unknown = try AttachmentDescriptor(blobID: String(repeating: "ab", count: 32), file: real.file,
                                               mediaType: real.mediaType)
        var unknownFailure: MediaError?
        for await event in carol.client.downloadAttachment(unknown, to: target) {
            if case .failed(let error) = event { unknownFailure = error }
        }
        guard case .server(404, _, _) = try #require(unknownFailure) else {
            Issue.record("expected 404, got \(String(describing: unknownFailure))")
            return
        }
        await alice.shutDown()
        await bob.shutDown()
        await carol.shutDown()
    }

    /// A file with a unique marker, sent with the marker in its caption and name: neither the
    /// blob folder nor the database (or its WAL) ever holds it, before or after the fetch.
    @Test(.timeLimit(.minutes(3)))
    func theServerNeverHoldsThePlaintextOfASentFile() async throws {
        let server = try await InProcessServer.start()
        defer { Task { await server.stop() } }
        let (alice, bob, group) = try await Self.pair(on: server)
        let marker = uniqueMarker("attachment")
        let folder = TemporaryDirectory.make("attach-marker")
        let file = folder.appendingPathComponent("\(marker).txt")
        var text = Data()
        while text.count < 300_000 { text.append(Data("\(marker) line \(text.count)\n".utf8)) }
        try text.write(to: file)
        let sent = try await alice.messenger.sendAttachment(file: file, to: group, caption: "see \(marker)",
                                                            mediaType: "text/plain")
        let received = try await Self.waitForAttachment(sent.id, on: bob, in: group)
        #expect(filesContaining(marker, under: server.dataDirectory).isEmpty)
        let blobs = URL(fileURLWithPath: server.configuration.blobDirectoryPath)
        let blobFiles = FileManager.default.enumerator(atPath: blobs.path)?.compactMap { $0 as? String } ?? []
        #expect(blobFiles.contains { $0.hasSuffix(".data") }, "the scan covers the stored blob: \(blobFiles)")
        let saved = folder.appendingPathComponent("saved.txt")
        try await Self.download(received, by: bob, to: saved)
        #expect(try Data(contentsOf: saved) == text)
        #expect(filesContaining(marker, under: server.dataDirectory).isEmpty)
        await alice.shutDown()
        await bob.shutDown()
    }

    /// A send whose upload died (here: its task cancelled after the blob was recorded)
    /// continues the same upload when sent again: same blob, same message id.
    @Test(.timeLimit(.minutes(3)))
    func aSendInterruptedMidUploadContinuesTheSameBlob() async throws {
        let server = try await InProcessServer.start()
        defer { Task { await server.stop() } }
        let (alice, bob, group) = try await Self.pair(on: server)
        let folder = TemporaryDirectory.make("attach-resume")
        let file = folder.appendingPathComponent("resume.bin")
        let bytes = Self.pattern(6 << 20, seed: 11)
        try Data(bytes).write(to: file)
        var options = MediaTransferOptions()
        options.segmentSize = 1 << 20
        let reached = Mutex<UInt64>(0)
        let messenger = alice.messenger
        let first = Task {
            try await messenger.sendAttachment(file: file, to: group, transferOptions: options, progress: { event in
                if case .progress(let bytes, _) = event { reached.withLock { $0 = max($0, bytes) } }
            })
        }
        try await eventually("the first upload to pass 2 MiB") { reached.withLock { $0 } >= 2 << 20 }
        first.cancel()
        _ = await first.result
        let pending = try #require(try await alice.messenger.store.pendingUpload("\(group):\(file.resolvingSymlinksInPath().path)"))
        let starts = Mutex<[UInt64]>([])
        let sent = try await alice.messenger.sendAttachment(file: file, to: group, transferOptions: options,
                                                            progress: { event in
            if case .progress(let bytes, _) = event { starts.withLock { if $0.isEmpty { $0.append(bytes) } } }
        })
        #expect(sent.id == pending.messageID)
        #expect(sent.attachment?.descriptor.blobID == pending.checkpoint.blobID)
        #expect(starts.withLock { $0.first ?? 0 } >= 1 << 20, "the second run starts where the server stood")
        #expect(try await alice.messenger.store.pendingUpload("\(group):\(file.resolvingSymlinksInPath().path)") == nil)
        let received = try await Self.waitForAttachment(sent.id, on: bob, in: group)
        let saved = folder.appendingPathComponent("saved.bin")
        try await Self.download(received, by: bob, to: saved)
        #expect(try Data(contentsOf: saved) == Data(bytes))
        await alice.shutDown()
        await bob.shutDown()
    }

    // MARK: Helpers

    /// alice and bob in a group of two.
    static func pair(on server: InProcessServer) async throws -> (TestDevice, TestDevice, ConversationID) {
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let group = try await alice.messenger.createGroup(name: "Files", members: ["bob"])
        try await bob.waitForConversation(group)
        return (alice, bob, group)
    }

    static func waitForAttachment(_ id: MessageID, on device: TestDevice, in group: ConversationID) async throws -> ChatMessage {
        try await eventually("\(device.username) to receive the attachment") {
            (try? await device.messenger.message(id, in: group))?.attachment != nil
        }
        return try await device.messenger.message(id, in: group)
    }

    static func download(_ message: ChatMessage, by device: TestDevice, to destination: URL) async throws {
        for await event in try device.messenger.downloadAttachment(of: message, to: destination) {
            if case .failed(let error) = event { throw error }
        }
    }

    /// Deterministic bytes that differ per position and seed.
    static func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
        var state = UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            var index = 0
            while index < count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                var word = state
                for _ in 0..<min(8, count - index) {
                    raw[index] = UInt8(truncatingIfNeeded: word)
                    word >>= 8
                    index += 1
                }
            }
        }
        return bytes
    }
}
