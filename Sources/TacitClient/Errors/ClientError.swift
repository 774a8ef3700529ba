import TacitWire

/// Everything that can go wrong in ``TacitClient``.
///
/// ``isRetryable`` tells whether the same operation may succeed later without any change;
/// the client itself retries those for ``TacitClient/send(to:body:clientMessageID:)`` and
/// reconnects on them.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server refused the request.
    case server(ServerError)
    /// The server presented an identity key that differs from the one pinned on first contact.
    case serverIdentityChanged(server: String, pinned: [UInt8], presented: [UInt8])
    /// The server's signature in the handshake does not verify against its key.
    case serverSignatureInvalid
    /// The server speaks no protocol version this client speaks.
    case unsupportedVersion(offered: UInt32)
    /// The server sent something the protocol does not allow.
    case protocolViolation(String)
    /// The socket could not be opened (server down, DNS, TLS, refused).
    case connectionFailed(String)
    /// The socket closed while a request was outstanding.
    case connectionLost
    /// No answer within the request timeout.
    case timedOut
    /// The operation needs an account on this device; register or link first.
    case notRegistered
    /// This device already has an account.
    case alreadyRegistered(username: String)
    /// No server URL is known: pass one when registering or linking.
    case noServer
    /// The server URL cannot be used.
    case invalidServerURL(String)
    /// The username breaks the naming rules (checked before anything is sent).
    case invalidUsername(Username.Problem)
    /// A device list served by the directory does not verify.
    case deviceListInvalid(String)
    /// The device is not in the account's device list.
    case unknownDevice(UInt64)
    /// This device cannot revoke itself; revoke it from another device of the account.
    case cannotRevokeSelf
    /// The link code is not one this device created.
    case unknownLinkCode(String)
    /// The local store (client.sqlite) failed.
    case localStore(String)
    /// ``TacitClient/connect()`` has not been called, or the client was closed.
    case notConnected
    /// The server revoked this device; it can no longer connect.
    case deviceRevoked
    /// Another connection of this device (another process using the same home) took over.
    case replacedByNewerConnection
    /// The client was closed.
    case closed
    /// The calling task was cancelled.
    case cancelled
    /// A bug or an impossible state in this client.
    case internalFailure(String)

    /// Whether the same operation may succeed if tried again later.
    public var isRetryable: Bool {
        switch self {
        case .server(let error): error.retryable
        case .connectionFailed, .connectionLost, .timedOut: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .server(let error):
            error.description
        case .serverIdentityChanged(let server, let pinned, let presented):
            """
            The server at \(server) presented a different identity key than the one this device \
            pinned on first contact.
              pinned:    \(pinned.hexString)
              presented: \(presented.hexString)
            Someone may be intercepting the connection, or the server operator replaced the server's \
            key. Do not continue until the operator confirms the new key out of band. If they do, \
            trust it with `tacit account trust-server` (or TacitClient.trustPresentedServerKey()).
            """
        case .serverSignatureInvalid:
            "the server's handshake signature is invalid; refusing to talk to it"
        case .unsupportedVersion(let offered):
            "the server speaks protocol version \(offered), this client speaks \(WireProtocol.supportedVersions)"
        case .protocolViolation(let what):
            "protocol violation by the server: \(what)"
        case .connectionFailed(let why):
            "cannot connect to the server: \(why)"
        case .connectionLost:
            "the connection to the server was lost"
        case .timedOut:
            "the server did not answer in time"
        case .notRegistered:
            "this device has no account yet: run `tacit account create NAME --server URL` or `tacit device link CODE --server URL`"
        case .alreadyRegistered(let username):
            "this device already belongs to the account '\(username)'"
        case .noServer:
            "no server is known for this device: pass --server URL"
        case .invalidServerURL(let url):
            "'\(url)' is not a usable server URL (expected ws://, wss://, http:// or https://host:port)"
        case .invalidUsername(let problem):
            problem.description
        case .deviceListInvalid(let why):
            "the account's device list does not verify: \(why)"
        case .unknownDevice(let id):
            "device \(id) is not one of this account's devices"
        case .cannotRevokeSelf:
            "a device cannot revoke itself; revoke it from another device of the account"
        case .unknownLinkCode(let code):
            "the link code \(code) was not created by this device"
        case .localStore(let why):
            "local store: \(why)"
        case .notConnected:
            "not connected: call connect() first"
        case .deviceRevoked:
            "this device was revoked from its account"
        case .replacedByNewerConnection:
            "another connection of this device took over (is another tacit process using the same home?)"
        case .closed:
            "the client is closed"
        case .cancelled:
            "cancelled"
        case .internalFailure(let why):
            "internal failure: \(why)"
        }
    }
}

extension Collection<UInt8> {
    /// Lower-case hex, for messages to people.
    var hexString: String {
        map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
