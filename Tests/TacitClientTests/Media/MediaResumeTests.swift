import Foundation
import Synchronization
import Testing
@testable import TacitClient
import TacitServer

/// Transfers that lose their connection part way: the server goes away (and with it every
/// connection) and comes back on the same directory and port.
@Suite struct MediaResumeTests {
    /// Reads the confirmed length from a blob's sidecar, as the restarted server will.
    static func confirmedLength(_ server: MediaTestServer, _ id: String) throws -> UInt64 {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: server.files(of: id).metadata)) as? [String: Any]
        return (object?["length"] as? NSNumber)?.uint64Value ?? 0
    }

    @Test func anUploadCutByAServerRestartResumesWhereTheServerStood() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: 12 << 20, in: folder)
        let transfers = try server.makeDevice(account: "alice")
            .transfers(MediaTransferOptions(segmentSize: 1 << 20, maxRetries: 20, retryDelay: .milliseconds(50),
                                            maxRetryDelay: .milliseconds(300)))
        let log = MediaEventLog()
        let restarted = Mutex<Task<UInt64, any Error>?>(nil)
        let descriptorTask = Task {
            try await transfers.uploadAttachment(file: source, mediaType: "video/mp4") { event in
                log.record(event)
                guard case .progress(let bytes, _) = event, bytes > 5 << 20 else { return }
                restarted.withLock { task in
                    guard task == nil else { return }
                    task = Task {
                        await server.stop()
                        // What the server confirmed before it went away.
                        let id = try #require(try FileManager.default.subpathsOfDirectory(atPath: server.blobRoot.path)
                            .first { $0.hasSuffix(".meta") }).split(separator: "/").last.map { String($0.dropLast(5)) }
                        let confirmed = try Self.confirmedLength(server, try #require(id))
                        try await Task.sleep(for: .milliseconds(300))
                        try await server.start()
                        return confirmed
                    }
                }
            }
        }
        let descriptor = try await descriptorTask.value
        let confirmedAtStop = try #require(try await restarted.withLock { $0 }?.value)
        #expect(confirmedAtStop >= 4 << 20, "several 1 MiB segments were confirmed before the stop")
        // After the restart the upload went on from the confirmed offset, not from zero.
        let resumedAt = log.all.compactMap { event -> UInt64? in
            if case .progress(let bytes, _) = event { return bytes } else { return nil }
        }
        // Progress never went back below what the server had confirmed: nothing was sent twice
        // from the start.
        #expect(zip(resumedAt, resumedAt.dropFirst()).allSatisfy { $0.1 >= $0.0 }, "\(resumedAt)")

        let output = folder.appendingPathComponent("out.bin")
        try await server.makeDevice(account: "bob").transfers().fetchAttachment(descriptor, to: output)
        #expect(try MediaTestFiles.same(source, output))
    }

    @Test func aDownloadCutByAServerRestartResumesWithARange() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let source = try MediaTestFiles.make(size: 40 << 20, in: folder)
        let descriptor = try await server.makeDevice(account: "alice").transfers()
            .uploadAttachment(file: source, mediaType: "video/mp4")
        let reader = try server.makeDevice(account: "bob")
            .transfers(MediaTransferOptions(maxRetries: 20, retryDelay: .milliseconds(50), maxRetryDelay: .milliseconds(300)))
        let output = folder.appendingPathComponent("out.bin")
        let restarted = Mutex<Task<Void, any Error>?>(nil)
        let log = MediaEventLog()
        try await reader.fetchAttachment(descriptor, to: output) { event in
            log.record(event)
            guard case .progress(let bytes, _) = event, bytes > 2 << 20 else { return }
            restarted.withLock { task in
                guard task == nil else { return }
                task = Task {
                    await server.stop()
                    try await Task.sleep(for: .milliseconds(300))
                    try await server.start()
                }
            }
        }
        try await restarted.withLock { $0 }?.value
        #expect(restarted.withLock { $0 } != nil)
        #expect(try MediaTestFiles.same(source, output))
    }
}
