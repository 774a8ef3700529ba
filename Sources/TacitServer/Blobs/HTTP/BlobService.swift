import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import TacitWire

/// The HTTP face of a ``BlobStore``: resumable uploads, ranged downloads, fetch receipts and
/// deletes, every request signed by a registered device (see ``BlobRequestTranscript``).
///
/// ```
/// POST   /v1/blobs              Upload-Length: n, Tacit-Fetch-Count: k
///                               -> 201, Location: /v1/blobs/<id>, Upload-Offset: 0
/// HEAD   /v1/blobs/<id>         -> 200, Upload-Offset, Upload-Length, Tacit-Blob-State
/// PATCH  /v1/blobs/<id>         Upload-Offset: o, body streamed to disk
///                               -> 204, Upload-Offset: new; 409 + Upload-Offset on a mismatch
/// POST   /v1/blobs/<id>/finish  Upload-Length: n, Tacit-Blob-SHA256: hex -> 200
/// GET    /v1/blobs/<id>         Range: bytes=a-b -> 200 / 206 / 416, Cache-Control: no-store
/// POST   /v1/blobs/<id>/fetched -> 204 (the caller's device fetched it; counts once per device)
/// DELETE /v1/blobs/<id>         -> 204 (the uploader's account only)
/// ```
///
/// There is no listing. A blob that does not exist, has expired, or is another account's
/// unfinished upload gets the same 404.
public struct BlobService: Sendable {
    public let store: any BlobStore
    let authenticator: BlobRequestAuthenticator

    /// - Parameters:
    ///   - serverKey: the server's public identity key (devices sign it into every request).
    ///   - allowedSkew: how far a request's timestamp may be from the server's clock.
    public init(store: any BlobStore, directory: any BlobDeviceDirectory, serverKey: [UInt8],
                allowedSkew: Duration = .seconds(300)) {
        self.store = store
        self.authenticator = BlobRequestAuthenticator(serverKey: serverKey, allowedSkew: allowedSkew,
                                                      directory: directory)
    }

    /// Adds the blob routes to `router`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let service = self
        let collection = RouterPath(BlobHTTP.collectionPath)
        let item = RouterPath(BlobHTTP.collectionPath + "/:id")
        router.post(collection) { request, _ in await service.respond(request) { try await service.create($0, $1) } }
        router.head(item) { request, context in
            await service.respond(request) { try await service.status($0, $1, id: context.parameters.get("id")) }
        }
        router.patch(item) { request, context in
            await service.respond(request) { try await service.append($0, $1, id: context.parameters.get("id")) }
        }
        router.get(item) { request, context in
            await service.respond(request) { try await service.read($0, $1, id: context.parameters.get("id")) }
        }
        router.delete(item) { request, context in
            await service.respond(request) { try await service.delete($0, $1, id: context.parameters.get("id")) }
        }
        router.post(RouterPath(BlobHTTP.collectionPath + "/:id/finish")) { request, context in
            await service.respond(request) { try await service.finish($0, $1, id: context.parameters.get("id")) }
        }
        router.post(RouterPath(BlobHTTP.collectionPath + "/:id/fetched")) { request, context in
            await service.respond(request) { try await service.fetched($0, $1, id: context.parameters.get("id")) }
        }
    }

    /// Authenticates, runs `handler`, and turns every failure into its error answer.
    private func respond(
        _ request: Request, _ handler: (Request, BlobDevice) async throws -> Response
    ) async -> Response {
        do {
            let device = try await authenticator.authenticate(request)
            return try await handler(request, device)
        } catch let failure as BlobHTTPFailure {
            return failure.response
        } catch {
            return BlobHTTPFailure.store(.io("\(error)")).response
        }
    }

    // MARK: Handlers

    private func create(_ request: Request, _ device: BlobDevice) async throws(BlobHTTPFailure) -> Response {
        guard let text = header(request, BlobHTTP.uploadLength), let length = UInt64(text) else {
            throw .badRequest("starting an upload needs an Upload-Length header (the blob's size in bytes)")
        }
        let fetchCount: Int
        if let text = header(request, BlobHTTP.fetchCount) {
            guard let count = Int(text), count >= 0 else { throw .badRequest("Tacit-Fetch-Count must be a number ≥ 0") }
            fetchCount = count
        } else {
            fetchCount = 0
        }
        let info = try await storeCall { try await $0.beginUpload(owner: owner(device), declaredSize: length,
                                                                   expectedFetchCount: fetchCount) }
        var fields = uploadFields(info)
        fields[.location] = BlobHTTP.path(of: info.id.hex)
        return Response(status: .created, headers: fields)
    }

    private func status(_ request: Request, _ device: BlobDevice, id: String?) async throws(BlobHTTPFailure) -> Response {
        let id = try blobID(id)
        let info = try await storeCall { try await $0.info(id, owner: owner(device)) }
        var fields = uploadFields(info)
        if info.state == .complete { fields[.contentLength] = "\(info.length)" }
        return Response(status: .ok, headers: fields)
    }

    private func append(_ request: Request, _ device: BlobDevice, id: String?) async throws(BlobHTTPFailure) -> Response {
        let id = try blobID(id)
        guard let text = header(request, BlobHTTP.uploadOffset), let offset = UInt64(text) else {
            throw .badRequest("an append needs an Upload-Offset header (where the body goes)")
        }
        let owner = owner(device)
        let body = request.body.map { $0.readableBytesView }
        do {
            let length = try await store.append(id, owner: owner, offset: offset, body: body)
            var fields: HTTPFields = [.cacheControl: "no-store"]
            fields[name(BlobHTTP.uploadOffset)] = "\(length)"
            return Response(status: .noContent, headers: fields)
        } catch let error as BlobStoreError {
            var failure = BlobHTTPFailure.store(error)
            // Bytes before a limit was hit are kept: say where the upload stands.
            if case .tooLarge = error, let info = try? await store.info(id, owner: owner) {
                failure.headers.append((BlobHTTP.uploadOffset, "\(info.length)"))
            }
            throw failure
        } catch {
            // The body failed (the client went away); whatever arrived is confirmed.
            throw BlobHTTPFailure.badRequest("the request body ended early")
        }
    }

    private func finish(_ request: Request, _ device: BlobDevice, id: String?) async throws(BlobHTTPFailure) -> Response {
        let id = try blobID(id)
        guard let text = header(request, BlobHTTP.uploadLength), let length = UInt64(text) else {
            throw .badRequest("finishing an upload needs an Upload-Length header (the blob's size in bytes)")
        }
        var digest: Data?
        if let hex = header(request, BlobHTTP.blobSHA256) {
            guard let bytes = BlobHex.decode(hex.lowercased()), bytes.count == 32 else {
                throw .badRequest("Tacit-Blob-SHA256 must be 64 hex digits")
            }
            digest = bytes
        }
        let info = try await storeCall { try await $0.finish(id, owner: owner(device), totalSize: length, sha256: digest) }
        return Response(status: .ok, headers: uploadFields(info))
    }

    private func read(_ request: Request, _ device: BlobDevice, id: String?) async throws(BlobHTTPFailure) -> Response {
        let id = try blobID(id)
        // RFC 9110: a Range header that does not parse is ignored (the whole blob is sent).
        let range = header(request, "Range").flatMap(BlobByteRange.init(rangeHeader:))
        let result: BlobReadResult
        do {
            result = try await store.read(id, range: range)
        } catch .notComplete {
            throw .notFound
        } catch {
            throw .store(error)
        }
        var fields: HTTPFields = [
            .contentType: "application/octet-stream", .cacheControl: "no-store", .acceptRanges: "bytes",
            .contentLength: "\(result.range.count)",
        ]
        if range != nil {
            fields[.contentRange] = BlobByteRange.contentRange(result.range, length: result.info.length)
        }
        let stream = result.body
        let body = ResponseBody(contentLength: Int(clamping: result.range.count)) { writer in
            for try await piece in stream { try await writer.write(ByteBuffer(data: piece)) }
            try await writer.finish(nil)
        }
        return Response(status: range != nil ? .partialContent : .ok, headers: fields, body: body)
    }

    private func fetched(_ request: Request, _ device: BlobDevice, id: String?) async throws(BlobHTTPFailure) -> Response {
        let id = try blobID(id)
        do {
            _ = try await store.recordFetch(id, fetcher: "\(device.id)")
        } catch .notComplete {
            throw .notFound
        } catch {
            throw .store(error)
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    private func delete(_ request: Request, _ device: BlobDevice, id: String?) async throws(BlobHTTPFailure) -> Response {
        let id = try blobID(id)
        do {
            try await store.delete(id, owner: owner(device))
        } catch .forbidden {
            // Whoever may read a finished blob knows it exists; an unfinished one stays hidden.
            if (try? await store.info(id, owner: nil))?.state == .complete {
                throw .forbidden("only the account that uploaded a blob may delete it")
            }
            throw .notFound
        } catch {
            throw .store(error)
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    // MARK: Helpers

    private func owner(_ device: BlobDevice) -> BlobOwnerID { BlobOwnerID(device.account) }

    private func blobID(_ text: String?) throws(BlobHTTPFailure) -> BlobID {
        guard let text, let id = BlobID(text) else { throw .notFound }
        return id
    }

    private func name(_ text: String) -> BlobFieldName {
        // Only called with the constant names of BlobHTTP, which are valid tokens.
        BlobFieldName(text) ?? .contentType
    }

    private func header(_ request: Request, _ text: String) -> String? {
        BlobFieldName(text).flatMap { request.headers[$0] }
    }

    private func uploadFields(_ info: BlobInfo) -> HTTPFields {
        var fields: HTTPFields = [.cacheControl: "no-store"]
        fields[name(BlobHTTP.uploadOffset)] = "\(info.length)"
        if let declared = info.declaredSize { fields[name(BlobHTTP.uploadLength)] = "\(declared)" }
        fields[name(BlobHTTP.blobState)] = info.state.rawValue
        return fields
    }

    private func storeCall<T>(_ body: (any BlobStore) async throws -> T) async throws(BlobHTTPFailure) -> T {
        do {
            return try await body(store)
        } catch let error as BlobStoreError {
            throw .store(error)
        } catch {
            throw .store(.io("\(error)"))
        }
    }
}
