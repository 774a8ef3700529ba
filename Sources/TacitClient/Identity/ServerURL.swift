import Foundation
import TacitWire

/// Where a Tacit server listens, normalized to a WebSocket base URL such as `ws://127.0.0.1:8080`.
///
/// People may type `http://`, `https://`, `ws://`, `wss://` or a bare `host:port` (taken as
/// `ws://`); `http` maps to `ws` and `https` to `wss`.
public struct ServerURL: Sendable, Hashable, CustomStringConvertible {
    /// The normalized base, without a trailing slash.
    public let base: String

    public init(_ text: String) throws(ClientError) {
        var text = text.trimmingCharacters(in: .whitespaces)
        if !text.contains("://") { text = "ws://" + text }
        guard var components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw .invalidServerURL(text) }
        switch scheme {
        case "ws", "http": components.scheme = "ws"
        case "wss", "https": components.scheme = "wss"
        default: throw .invalidServerURL(text)
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw .invalidServerURL(text)
        }
        while components.path.hasSuffix("/") { components.path.removeLast() }
        guard let normalized = components.string else { throw .invalidServerURL(text) }
        self.base = normalized
    }

    /// The URL of the message socket.
    public var connectURL: String { base + WireProtocol.connectPath }

    /// Whether the connection uses TLS.
    public var usesTLS: Bool { base.hasPrefix("wss://") }

    public var description: String { base }
}
