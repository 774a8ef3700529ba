import TacitWire

/// An error the server answered a request with.
public struct ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as the protocol names it.
    public enum Code: Sendable, Equatable {
        case badRequest
        case unauthenticated
        case forbidden
        case notFound
        case tooLarge
        case rateLimited
        /// A group commit arrived for an epoch that has moved on; carries the current epoch.
        case staleEpoch(current: UInt64)
        case retryLater
        case `internal`
        case unsupportedVersion
        case conflict
        /// A code this client does not know (from a newer server).
        case unknown(Int)
    }

    /// The protocol's error code.
    public var code: Code
    /// Human-readable text from the server, for logs and people.
    public var message: String
    /// Whether the server says the same request may succeed if sent again later.
    public var retryable: Bool

    /// An error as the server would send it (for tests and fakes).
    public init(code: Code, message: String, retryable: Bool) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    init(_ wire: WireError) {
        let code: Code = switch wire.code {
        case .unspecified: .unknown(0)
        case .badRequest: .badRequest
        case .unauthenticated: .unauthenticated
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .tooLarge: .tooLarge
        case .rateLimited: .rateLimited
        case .staleEpoch: .staleEpoch(current: wire.currentEpoch)
        case .retryLater: .retryLater
        case .internal: .internal
        case .unsupportedVersion: .unsupportedVersion
        case .conflict: .conflict
        case .UNRECOGNIZED(let raw): .unknown(raw)
        }
        self.init(code: code, message: wire.message, retryable: wire.retryable)
    }

    public var description: String {
        let text = message.isEmpty ? "" : ": \(message)"
        return "server error \(code)\(text)\(retryable ? " (retryable)" : "")"
    }
}
