import Foundation
import Hummingbird
import NIOCore
import TacitWire

/// Why the blob service refuses a request: a status, a short code for programs (sent as
/// `Tacit-Error`) and a message for people (the body).
struct BlobHTTPFailure: Error, Equatable, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Extra headers, such as `Upload-Offset` on an offset mismatch.
    var headers: [(String, String)] = []

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message
    }

    static func badRequest(_ message: String) -> Self { .init(status: .badRequest, code: "bad-request", message: message) }
    static func unauthenticated(_ message: String) -> Self {
        .init(status: .unauthorized, code: "unauthenticated", message: message)
    }
    static func forbidden(_ message: String) -> Self { .init(status: .forbidden, code: "forbidden", message: message) }
    /// The one answer for a blob that does not exist, expired, or is another account's
    /// unfinished upload: nothing in it tells these apart.
    static let notFound = Self(status: .notFound, code: "not-found", message: "no such blob")

    /// The answer for a store error; `forbidden` becomes ``notFound`` unless `revealOwner`.
    static func store(_ error: BlobStoreError) -> Self {
        switch error {
        case .notFound, .forbidden:
            return .notFound
        case .notComplete:
            return .init(status: .conflict, code: "not-complete", message: "the upload is not finished yet")
        case .alreadyComplete:
            return .init(status: .conflict, code: "already-complete", message: "the upload is finished already")
        case .offsetMismatch(let current):
            return .init(status: .conflict, code: "offset-mismatch",
                         message: "the upload continues at offset \(current)",
                         headers: [(BlobHTTP.uploadOffset, "\(current)")])
        case .tooLarge(let limit):
            return .init(status: .contentTooLarge, code: "too-large",
                         message: "a blob may have at most \(limit) bytes")
        case .quotaExceeded(let used, let quota):
            return .init(status: .contentTooLarge, code: "quota-exceeded",
                         message: "the account's blobs would exceed its quota of \(quota) bytes (\(used) in use)")
        case .sizeMismatch(let expected, let actual):
            return .init(status: .badRequest, code: "size-mismatch",
                         message: "the upload has \(actual) bytes, not \(expected)")
        case .digestMismatch:
            return .init(status: .badRequest, code: "digest-mismatch",
                         message: "the uploaded bytes do not have the given SHA-256; the upload was deleted")
        case .rangeNotSatisfiable(let length):
            return .init(status: .rangeNotSatisfiable, code: "range-not-satisfiable",
                         message: "the range lies outside the blob of \(length) bytes",
                         headers: [("Content-Range", "bytes */\(length)")])
        case .busy:
            return .init(status: .conflict, code: "busy",
                         message: "another request is writing this blob; try again shortly",
                         headers: [("Retry-After", "1")])
        case .invalidArgument(let what):
            return .badRequest(what)
        case .io:
            return .init(status: .internalServerError, code: "internal",
                         message: "the server's blob storage failed; try again later", headers: [("Retry-After", "5")])
        }
    }

    var response: Response {
        var fields: HTTPFields = [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"]
        if let name = BlobFieldName(BlobHTTP.errorCode) { fields[name] = code }
        for (name, value) in headers {
            if let name = BlobFieldName(name) { fields[name] = value }
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// `HTTPField.Name`, spelled through `HTTPFields` (which Hummingbird re-exports) so the
/// target needs no direct dependency on swift-http-types.
typealias BlobFieldName = HTTPFields.Element.Name
