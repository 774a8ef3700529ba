import Foundation
import NIOCore
import NIOHTTP1
import TacitWire

/// The blob service's requests, one method each, signed and checked (see `BlobService` on
/// the server for the protocol).
struct BlobServiceClient: Sendable {
    let endpoint: BlobServiceEndpoint

    /// Starts an upload of exactly `length` bytes; returns the blob id.
    func create(length: UInt64, fetchCount: Int) async throws(MediaError) -> String {
        let response = try await send(.POST, BlobHTTP.collectionPath,
                                      [(BlobHTTP.uploadLength, "\(length)"), (BlobHTTP.fetchCount, "\(fetchCount)")])
        try expect(response, 201)
        guard let location = response.header("Location"), location.hasPrefix(BlobHTTP.collectionPath + "/") else {
            throw .invalidResponse("201 without a blob Location")
        }
        let id = String(location.dropFirst(BlobHTTP.collectionPath.count + 1))
        guard id.utf8.count == 64, id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .invalidResponse("the blob id \(id) is not 64 hex digits")
        }
        return id
    }

    /// Where an upload stands: the confirmed offset and whether it is finished.
    func status(of id: String) async throws(MediaError) -> (offset: UInt64, complete: Bool) {
        let response = try await send(.HEAD, BlobHTTP.path(of: id), [])
        try expect(response, 200)
        guard let offset = response.header(BlobHTTP.uploadOffset).flatMap({ UInt64($0) }) else {
            throw .invalidResponse("HEAD without Upload-Offset")
        }
        return (offset, response.header(BlobHTTP.blobState) == "complete")
    }

    /// The outcome of one `PATCH`.
    enum AppendOutcome: Sendable, Equatable {
        /// The server confirmed everything up to this offset.
        case confirmed(UInt64)
        /// The upload stands elsewhere: continue from this offset.
        case offsetMismatch(UInt64)
        /// Another request is still writing the blob (a dropped one the server has not noticed yet).
        case busy
    }

    /// Appends `length` bytes produced by `body` at `offset`.
    func append(_ id: String, offset: UInt64, length: UInt64,
                body: @escaping MediaHTTPConnection.BodyProducer) async throws(MediaError) -> AppendOutcome {
        let response = try await send(.PATCH, BlobHTTP.path(of: id),
                                      [(BlobHTTP.uploadOffset, "\(offset)"), ("Content-Type", "application/offset+octet-stream")],
                                      contentLength: length, body: body)
        if response.status == 409 {
            switch response.header(BlobHTTP.errorCode) {
            case "offset-mismatch":
                guard let current = response.header(BlobHTTP.uploadOffset).flatMap({ UInt64($0) }) else { break }
                return .offsetMismatch(current)
            case "busy":
                return .busy
            default:
                break
            }
        }
        try expect(response, 204)
        guard let confirmed = response.header(BlobHTTP.uploadOffset).flatMap({ UInt64($0) }) else {
            throw .invalidResponse("PATCH answer without Upload-Offset")
        }
        return .confirmed(confirmed)
    }

    /// Completes an upload; the server checks the size and the digest.
    func finish(_ id: String, length: UInt64, sha256: Data) async throws(MediaError) {
        let hex = sha256.map { String(format: "%02x", $0) }.joined()
        let response = try await send(.POST, BlobHTTP.path(of: id) + "/finish",
                                      [(BlobHTTP.uploadLength, "\(length)"), (BlobHTTP.blobSHA256, hex)])
        try expect(response, 200)
    }

    /// Reads the blob from `offset` to its end, handing the bytes to `receive`.
    func read(_ id: String, from offset: UInt64, receive: @escaping (ByteBuffer) async throws -> Void) async throws(MediaError) {
        let headers = offset > 0 ? [("Range", "bytes=\(offset)-")] : []
        let response = try await send(.GET, BlobHTTP.path(of: id), headers, streamBody: receive)
        try expect(response, offset > 0 ? 206 : 200)
        if offset > 0 {
            guard let range = response.header("Content-Range"), range.hasPrefix("bytes \(offset)-") else {
                throw .invalidResponse("206 for another range than bytes=\(offset)-")
            }
        }
    }

    /// Tells the server this device fetched the blob.
    func reportFetched(_ id: String) async throws(MediaError) {
        try expect(try await send(.POST, BlobHTTP.path(of: id) + "/fetched", []), 204)
    }

    /// Deletes a blob this account uploaded.
    func delete(_ id: String) async throws(MediaError) {
        try expect(try await send(.DELETE, BlobHTTP.path(of: id), []), 204)
    }

    // MARK: Plumbing

    func send(
        _ method: HTTPMethod, _ target: String, _ headers: [(String, String)], contentLength: UInt64? = nil,
        body: MediaHTTPConnection.BodyProducer? = nil, streamBody: ((ByteBuffer) async throws -> Void)? = nil
    ) async throws(MediaError) -> MediaHTTPConnection.Response {
        var headers = headers
        headers.append(("Authorization", try endpoint.signer.authorization(method: method.rawValue, target: endpoint.pathPrefix + target,
                                                                           headers: headers)))
        let request = MediaHTTPConnection.Request(method: method, target: target, headers: headers,
                                                  contentLength: contentLength ?? (body == nil ? nil : 0))
        do {
            return try await MediaHTTPConnection.perform(request, to: endpoint, body: body, streamBody: streamBody)
        } catch let error as MediaError {
            throw error
        } catch {
            throw .connectionFailed("\(error)")
        }
    }

    private func expect(_ response: MediaHTTPConnection.Response, _ status: Int) throws(MediaError) {
        guard response.status != status else { return }
        throw .server(status: response.status, code: response.header(BlobHTTP.errorCode) ?? "http-\(response.status)",
                      message: response.body.isEmpty ? "HTTP \(response.status)" : response.body)
    }
}
