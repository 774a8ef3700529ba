import TacitStore
import TacitWire

/// Why the server refuses a request: a protocol error code and a message for people.
///
/// Every refusal travels to the client as a ``WireError``; nothing else leaks out.
struct RequestFailure: Error, Equatable, Sendable, CustomStringConvertible {
    var code: WireError.Code
    var message: String
    var retryable: Bool
    /// For ``WireError/Code/staleEpoch``: the group's current epoch.
    var currentEpoch: UInt64 = 0

    init(_ code: WireError.Code, _ message: String, retryable: Bool = false) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    var wire: WireError {
        var error = WireError(code: code, message: message, retryable: retryable)
        error.currentEpoch = currentEpoch
        return error
    }

    var description: String { "\(code): \(message)" }

    static func badRequest(_ message: String) -> Self { .init(.badRequest, message) }
    static func unauthenticated(_ message: String) -> Self { .init(.unauthenticated, message) }
    static func forbidden(_ message: String) -> Self { .init(.forbidden, message) }
    static func notFound(_ message: String) -> Self { .init(.notFound, message) }
    static func conflict(_ message: String) -> Self { .init(.conflict, message) }
    static func tooLarge(_ message: String) -> Self { .init(.tooLarge, message) }
    static func rateLimited(_ message: String) -> Self { .init(.rateLimited, message, retryable: true) }
    static func retryLater(_ message: String) -> Self { .init(.retryLater, message, retryable: true) }
    static func `internal`(_ message: String) -> Self { .init(.internal, message) }

    /// A commit for an epoch the group has left: the sender must catch up with the commit
    /// that won (not retry this one).
    static func staleEpoch(current: UInt64) -> Self {
        var failure = Self(.staleEpoch, "the group is at epoch \(current); process its newer commits, then commit again")
        failure.currentEpoch = current
        return failure
    }

    /// The failure to report for an unexpected error from the store. Store details stay in
    /// the server log; the client learns only whether trying again may help.
    static func store(_ error: any Error) -> Self {
        switch error {
        case let failure as RequestFailure: failure
        case StoreError.unavailable: .retryLater("the server's storage is unavailable; try again later")
        case StoreError.closed: .retryLater("the server is shutting down; try again later")
        case StoreError.notFound: .notFound("not found")
        case StoreError.conflict: .conflict("the request conflicts with a concurrent change; try again")
        case StoreError.usernameTaken: .conflict("that username is taken")
        case StoreError.unknownRecipient(let id): .notFound("device \(id) does not exist or was revoked")
        case StoreError.staleEpoch(let current): .staleEpoch(current: current)
        case StoreError.epochTokenMismatch: .forbidden("the epoch token is not the token of the group's current epoch")
        case StoreError.unknownGroup:
            .notFound("the server knows no group with this id; a group's first commit claims epoch 0")
        case StoreError.quotaExceeded(let limit): .tooLarge("this would exceed the limit of \(limit)")
        case StoreError.invalidRequest(let why): .badRequest(why)
        default: .internal("internal server error")
        }
    }
}
