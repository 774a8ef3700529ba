/// Why a ``TacitServer`` could not start or answer.
public enum TacitServerError: Error, Equatable, CustomStringConvertible {
    /// The server is not listening (it stopped, or failed to start).
    case notRunning
    /// The TLS certificate or key could not be loaded.
    case tls(String)

    public var description: String {
        switch self {
        case .notRunning: "the server is not running"
        case .tls(let detail): "cannot set up TLS: \(detail)"
        }
    }
}
