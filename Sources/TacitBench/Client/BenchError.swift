import TacitWire

/// Why a benchmark step failed.
public enum BenchError: Error, CustomStringConvertible, Sendable {
    /// The server did not accept the WebSocket upgrade.
    case notUpgraded
    /// The socket closed before the answer came (with the server's close code, if it sent one).
    case closed(code: UInt16?)
    /// The server answered something the protocol does not allow here.
    case protocolViolation(String)
    /// The server refused a request.
    case server(WireError)
    /// Something took longer than the bench allows.
    case timedOut(String)
    /// The run could not be set up (bad options, a worker that failed, ...).
    case setup(String)

    public var description: String {
        switch self {
        case .notUpgraded: "the server refused the WebSocket upgrade"
        case .closed(let code?): "the socket closed (code \(code))"
        case .closed(nil): "the socket closed"
        case .protocolViolation(let what): "protocol violation: \(what)"
        case .server(let error): "the server refused: \(error.code) \(error.message)"
        case .timedOut(let what): "timed out: \(what)"
        case .setup(let what): what
        }
    }
}
