import Foundation
import NIOCore
import NIOHTTP1
import Testing
@testable import TacitClient
import TacitServer
import TacitWire

/// Who may do what with blobs: signatures, replays, revoked devices, other accounts, ids
/// that cannot be guessed or listed, and the size and quota limits.
@Suite struct MediaAccessTests {
    /// Sends a request with exactly these headers (no signing unless given).
    static func raw(_ server: MediaTestServer, _ method: HTTPMethod, _ target: String, _ headers: [(String, String)],
                    using endpoint: BlobServiceEndpoint) async throws -> MediaHTTPConnection.Response {
        try await MediaHTTPConnection.perform(
            MediaHTTPConnection.Request(method: method, target: target, headers: headers, contentLength: nil), to: endpoint)
    }

    @Test func unsignedAndBadlySignedRequestsGet401() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let device = server.makeDevice(account: "alice")
        let endpoint = try device.endpoint()
        let create = [(BlobHTTP.uploadLength, "100")]

        let unsigned = try await Self.raw(server, .POST, BlobHTTP.collectionPath, create, using: endpoint)
        #expect(unsigned.status == 401)
        #expect(unsigned.header(BlobHTTP.errorCode) == "unauthenticated")
        #expect(unsigned.body.contains("Authorization"))

        // Signed for another server key.
        let otherServer = try device.endpoint(serverKey: DeviceIdentity().publicKey)
        let wrongServer = try await BlobServiceClient(endpoint: otherServer).send(.POST, BlobHTTP.collectionPath, create)
        #expect(wrongServer.status == 401)

        // A valid signature over other headers: the length was changed on the way.
        let signature = try endpoint.signer.authorization(method: "POST", target: BlobHTTP.collectionPath, headers: create)
        let changed = try await Self.raw(server, .POST, BlobHTTP.collectionPath,
                                         [(BlobHTTP.uploadLength, "999"), ("Authorization", signature)], using: endpoint)
        #expect(changed.status == 401)

        // Replaying a request that went through.
        let fresh = try endpoint.signer.authorization(method: "POST", target: BlobHTTP.collectionPath, headers: create)
        let first = try await Self.raw(server, .POST, BlobHTTP.collectionPath, create + [("Authorization", fresh)], using: endpoint)
        #expect(first.status == 201)
        let replay = try await Self.raw(server, .POST, BlobHTTP.collectionPath, create + [("Authorization", fresh)], using: endpoint)
        #expect(replay.status == 401)
        #expect(replay.body.contains("replayed"))

        // A timestamp far outside the skew window.
        let old = try endpoint.signer.authorization(method: "POST", target: BlobHTTP.collectionPath, headers: create,
                                                    now: Date(timeIntervalSinceNow: -3600))
        let stale = try await Self.raw(server, .POST, BlobHTTP.collectionPath, create + [("Authorization", old)], using: endpoint)
        #expect(stale.status == 401)
        #expect(stale.body.contains("clock"))

        // An unknown device id.
        let stranger = try BlobServiceEndpoint(server: ServerURL("ws://127.0.0.1:\(server.port)"), deviceID: 999,
                                               identity: DeviceIdentity(), serverKey: server.serverKey)
        #expect(try await BlobServiceClient(endpoint: stranger).send(.POST, BlobHTTP.collectionPath, create).status == 401)

        // And the SDK reports it as a server refusal.
        let folder = MediaTestFiles.directory()
        let file = try MediaTestFiles.make(size: 10, in: folder)
        await #expect {
            _ = try await MediaTransfers(endpoint: stranger).uploadAttachment(file: file, mediaType: "text/plain")
        } throws: { error in
            guard case MediaError.server(401, "unauthenticated", _) = error else { return false }
            return true
        }
    }

    @Test func revokedDevicesCanNeitherUploadNorDownload() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let file = try MediaTestFiles.make(size: 1000, in: folder)
        let alice = server.makeDevice(account: "alice")
        let bob = server.makeDevice(account: "bob")
        let descriptor = try await alice.transfers().uploadAttachment(file: file, mediaType: "text/plain")
        server.directory.revoke(bob.id)
        server.directory.revoke(alice.id)
        await #expect(throws: MediaError.server(status: 403, code: "forbidden", message: "device \(bob.id) was revoked")) {
            try await bob.transfers().fetchAttachment(descriptor, to: folder.appendingPathComponent("out"))
        }
        await #expect {
            _ = try await alice.transfers().uploadAttachment(file: file, mediaType: "text/plain")
        } throws: { error in
            guard case MediaError.server(403, "forbidden", _) = error else { return false }
            return true
        }
    }

    @Test func otherAccountsCannotDeleteOrSeeUnfinishedUploadsAndIdsCannotBeListed() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let file = try MediaTestFiles.make(size: 1000, in: folder)
        let alice = server.makeDevice(account: "alice")
        let mallory = try server.makeDevice(account: "mallory").client()
        let descriptor = try await alice.transfers().uploadAttachment(file: file, mediaType: "text/plain")
        #expect(descriptor.blobID.utf8.count == 64, "256-bit ids")

        // A finished blob: readable by any device that knows the id, deletable only by its account.
        await #expect(throws: MediaError.server(status: 403, code: "forbidden",
                                                message: "only the account that uploaded a blob may delete it")) {
            try await mallory.delete(descriptor.blobID)
        }

        // An unfinished upload of alice's looks exactly like a blob that does not exist.
        let pending = try await alice.client().create(length: 500, fetchCount: 0)
        let missing = String(repeating: "ab", count: 32)
        for (method, suffix) in [(HTTPMethod.HEAD, ""), (.GET, ""), (.DELETE, ""), (.POST, "/finish"), (.POST, "/fetched")] {
            var headers: [(String, String)] = []
            if suffix == "/finish" { headers.append((BlobHTTP.uploadLength, "500")) }
            let foreign = try await mallory.send(method, BlobHTTP.path(of: pending) + suffix, headers)
            let absent = try await mallory.send(method, BlobHTTP.path(of: missing) + suffix, headers)
            #expect(foreign.status == 404, "\(method) \(suffix)")
            #expect(foreign.status == absent.status && foreign.body == absent.body
                        && foreign.header(BlobHTTP.errorCode) == absent.header(BlobHTTP.errorCode), "\(method) \(suffix)")
        }
        await #expect(throws: MediaError.server(status: 404, code: "not-found", message: "no such blob")) {
            _ = try await mallory.append(pending, offset: 0, length: 3) { write in
                try await write(ByteBuffer(bytes: [1, 2, 3]))
            }
        }
    }

    @Test func noListingAndMalformedIds() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let client = try server.makeDevice(account: "alice").client()
        let folder = MediaTestFiles.directory()
        _ = try await server.makeDevice(account: "alice").transfers()
            .uploadAttachment(file: MediaTestFiles.make(size: 10, in: folder), mediaType: "text/plain")
        let listing = try await client.send(.GET, BlobHTTP.collectionPath, [])
        #expect(listing.status == 404 || listing.status == 405)
        for id in ["0", "../../etc/passwd", String(repeating: "A", count: 64), String(repeating: "0", count: 63)] {
            #expect(try await client.send(.GET, BlobHTTP.path(of: id), []).status == 404, "\(id)")
        }
    }

    @Test func sizeAndQuotaLimitsAnswer413() async throws {
        var limits = BlobLimits()
        limits.maxBlobSize = 1 << 20
        limits.quotaPerOwner = 1100 << 10
        let server = try await MediaTestServer.start(limits: limits)
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let alice = try server.makeDevice(account: "alice").transfers()
        let big = try MediaTestFiles.make(size: 2 << 20, in: folder, name: "big")
        await #expect {
            _ = try await alice.uploadAttachment(file: big, mediaType: "video/mp4")
        } throws: { error in
            guard case MediaError.server(413, "too-large", _) = error else { return false }
            return true
        }
        let half = try MediaTestFiles.make(size: 500 << 10, in: folder, name: "half")
        let first = try await alice.uploadAttachment(file: half, mediaType: "video/mp4")
        _ = try await alice.uploadAttachment(file: half, mediaType: "video/mp4")
        await #expect {
            _ = try await alice.uploadAttachment(file: half, mediaType: "video/mp4")
        } throws: { error in
            guard case MediaError.server(413, "quota-exceeded", _) = error else { return false }
            return true
        }
        // Another account has its own quota; deleting frees the space.
        _ = try await server.makeDevice(account: "bob").transfers().uploadAttachment(file: half, mediaType: "video/mp4")
        try await alice.deleteBlob(first.blobID)
        _ = try await alice.uploadAttachment(file: half, mediaType: "video/mp4")
    }

    @Test func theServerNeverStoresThePlaintext() async throws {
        let server = try await MediaTestServer.start()
        defer { Task { await server.stop() } }
        let folder = MediaTestFiles.directory()
        let marker = Data("tacit-marker-\(UUID().uuidString)".utf8)
        var content = Data()
        for _ in 0..<5000 { content += marker }
        let file = folder.appendingPathComponent("secret-\(UUID().uuidString).txt")
        try content.write(to: file)
        let descriptor = try await server.makeDevice(account: "alice").transfers().uploadAttachment(
            file: file, mediaType: "text/plain", metadata: AttachmentMetadata(fileName: file.lastPathComponent))
        let stored = try server.allStoredBytes()
        #expect(stored.count >= 2)
        for (path, bytes) in stored {
            #expect(bytes.range(of: marker) == nil, "\(path) holds the plaintext")
            #expect(bytes.range(of: Data(file.lastPathComponent.utf8)) == nil, "\(path) holds the file name")
            #expect(bytes.range(of: descriptor.file.key) == nil, "\(path) holds the file key")
        }
    }
}
