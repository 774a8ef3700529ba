import Foundation
import Testing
import TacitClient
import TacitServer

/// The blob service as the real server runs it: devices registered over the WebSocket,
/// looked up in the server's store, blobs under the data directory.
@Suite struct MediaServerIntegrationTests {
    @Test func registeredDevicesExchangeAnAttachmentAndTheServerKeepsNoPlaintext() async throws {
        let server = try await InProcessServer.start()
        defer { Task { await server.stop() } }
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        defer { Task { await alice.close(); await bob.close() } }

        let folder = TemporaryDirectory.make("media")
        let marker = Data("tacit-marker-\(UUID().uuidString)".utf8)
        var content = Data()
        for _ in 0..<40_000 { content += marker }
        let file = folder.appendingPathComponent("holiday.mov")
        try content.write(to: file)

        let descriptor = try await alice.uploadAttachment(
            file: file, mediaType: "video/quicktime",
            metadata: AttachmentMetadata(fileName: "holiday.mov", durationMilliseconds: 1500), expectedRecipients: 1)
        let output = folder.appendingPathComponent("received.mov")
        var events: [MediaTransferEvent] = []
        for await event in bob.downloadAttachment(descriptor, to: output) { events.append(event) }
        guard case .completed(.downloaded)? = events.last else {
            Issue.record("download: \(events)")
            return
        }
        #expect(try Data(contentsOf: output) == content)

        // Neither the blob folder nor the database holds the plaintext or the file name.
        await server.stop()
        let walker = try #require(FileManager.default.enumerator(at: server.dataDirectory, includingPropertiesForKeys: nil))
        var scanned = 0
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let bytes = try Data(contentsOf: url)
            scanned += 1
            #expect(bytes.range(of: marker) == nil, "\(url.path) holds the plaintext")
            #expect(bytes.range(of: Data("holiday.mov".utf8)) == nil, "\(url.path) holds the file name")
            #expect(bytes.range(of: descriptor.file.key) == nil, "\(url.path) holds the file key")
        }
        #expect(scanned >= 3, "database, blob data and sidecar were scanned")
    }

    @Test func anUnregisteredClientCannotUpload() async throws {
        let client = try makeClient("nobody")
        defer { Task { await client.close() } }
        let folder = TemporaryDirectory.make("media")
        let file = folder.appendingPathComponent("a.txt")
        try Data("x".utf8).write(to: file)
        await #expect(throws: MediaError.notRegistered) {
            _ = try await client.uploadAttachment(file: file, mediaType: "text/plain")
        }
    }
}
