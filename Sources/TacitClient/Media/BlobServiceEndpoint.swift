import Foundation

/// Where the blob service of a server listens: the HTTP side of a ``ServerURL``
/// (`ws://h:p` → `http://h:p`, `wss://` → `https://`), and who signs the requests.
public struct BlobServiceEndpoint: Sendable {
    public let host: String
    public let port: Int
    public let usesTLS: Bool
    /// A path the server is mounted under (usually empty), without a trailing slash.
    public let pathPrefix: String
    let signer: BlobRequestSigner

    /// - Parameters:
    ///   - server: the server's URL.
    ///   - deviceID: this device's id on the server.
    ///   - identity: this device's key, which signs every request.
    ///   - serverKey: the server's pinned identity key, bound into every signature.
    public init(server: ServerURL, deviceID: UInt64, identity: DeviceIdentity, serverKey: [UInt8]) throws(MediaError) {
        guard let components = URLComponents(string: server.base), let host = components.host else {
            throw .invalidResponse("cannot read the server URL \(server.base)")
        }
        self.host = host
        self.usesTLS = server.usesTLS
        self.port = components.port ?? (server.usesTLS ? 443 : 80)
        self.pathPrefix = components.path
        self.signer = BlobRequestSigner(deviceID: deviceID, serverKey: serverKey, identity: identity)
    }

    /// The value of the `Host` header.
    var hostHeader: String {
        let defaultPort = usesTLS ? 443 : 80
        let name = host.contains(":") ? "[\(host)]" : host
        return port == defaultPort ? name : "\(name):\(port)"
    }
}
