import Foundation

/// Why a blob store operation failed. Each case maps to one HTTP status (see the case docs).
public enum BlobStoreError: Error, Equatable, Sendable {
    /// No such blob, or it expired (404).
    case notFound
    /// The blob belongs to another account (403).
    case forbidden
    /// The upload is not finished yet, so there is nothing to read (404 for readers, 409 otherwise).
    case notComplete
    /// The upload is finished; it takes no more bytes, and finishing it again with other
    /// values fails (409).
    case alreadyComplete
    /// The append did not start at the confirmed length, which is given (409, with
    /// `Upload-Offset: currentLength`).
    case offsetMismatch(currentLength: UInt64)
    /// The blob would grow past `limit`: the maximum blob size or the size declared when the
    /// upload began (413).
    case tooLarge(limit: UInt64)
    /// The owner's blobs would take more than `quota` bytes (413, or 507).
    case quotaExceeded(bytesInUse: UInt64, quota: UInt64)
    /// The finished size differs from the declared one (400).
    case sizeMismatch(expected: UInt64, actual: UInt64)
    /// The uploaded bytes do not have the SHA-256 given on finish; the upload is deleted (400).
    case digestMismatch
    /// The requested range lies outside the blob, of `length` bytes (416, with
    /// `Content-Range: bytes */length`).
    case rangeNotSatisfiable(length: UInt64)
    /// Another append, finish or delete of this blob is in progress (409; retry later).
    case busy
    /// A parameter is out of range (400).
    case invalidArgument(String)
    /// The file system failed (500; retry later).
    case io(String)

    /// Whether the same request may succeed if simply sent again later.
    public var isRetryable: Bool {
        switch self {
        case .busy, .io: true
        default: false
        }
    }
}
