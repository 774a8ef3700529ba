import Foundation

/// Why an attachment upload or download failed.
public enum MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The blob service refused the request: HTTP `status`, its `Tacit-Error` code (such as
    /// `too-large`, `quota-exceeded`, `not-found`) and its message.
    case server(status: Int, code: String, message: String)
    /// The server could not be reached, or the connection broke (after every retry).
    case connectionFailed(String)
    /// The server answered something the blob protocol does not allow.
    case invalidResponse(String)
    /// The downloaded blob does not verify: it was changed, cut short, reordered or is not
    /// the one the descriptor describes. Nothing was written to the destination.
    case verificationFailed(AttachmentCryptoError)
    /// The file being uploaded changed while it was read; the upload was abandoned (sending
    /// different bytes under the same key would break the encryption's guarantees).
    case sourceChanged(String)
    /// The file is larger than the attachment format or the server allows.
    case tooLarge(String)
    /// Reading or writing a local file failed.
    case io(String)
    /// The device has no account or no server yet.
    case notRegistered
    /// The calling task was cancelled.
    case cancelled

    /// Whether trying the same transfer again later may succeed.
    public var isRetryable: Bool {
        switch self {
        case .connectionFailed: true
        case .server(let status, let code, _): status >= 500 || code == "busy" || code == "retry-later"
        default: false
        }
    }

    public var description: String {
        switch self {
        case .server(let status, let code, let message): "the server refused the request (\(status) \(code)): \(message)"
        case .connectionFailed(let why): "cannot reach the blob service: \(why)"
        case .invalidResponse(let why): "unexpected answer from the blob service: \(why)"
        case .verificationFailed(let why): "the attachment does not verify (\(why)); it was not saved"
        case .sourceChanged(let why): "the file changed while it was uploaded: \(why)"
        case .tooLarge(let why): "the file is too large: \(why)"
        case .io(let why): "file error: \(why)"
        case .notRegistered: "this device has no account yet"
        case .cancelled: "cancelled"
        }
    }
}
