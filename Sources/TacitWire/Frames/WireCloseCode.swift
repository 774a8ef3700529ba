/// WebSocket close codes the server uses, so clients can tell why a socket ended.
///
/// Codes 1000–1011 come from RFC 6455 (a server shutting down closes with 1000); codes
/// 4000–4999 are this protocol's own.
public enum WireCloseCode: UInt16, Sendable, CaseIterable {
    /// RFC 6455: the frame kind is not accepted (this protocol uses binary frames only).
    case unsupportedData = 1003
    /// RFC 6455: a frame or message is larger than the server accepts.
    case messageTooLarge = 1009
    /// A newer authenticated connection of the same device replaced this one.
    case replaced = 4000
    /// Authentication (or registration, or a link claim) failed; the challenge is spent.
    case authenticationFailed = 4001
    /// The device was revoked from its account.
    case deviceRevoked = 4002
    /// None of the client's protocol versions is spoken by the server.
    case unsupportedVersion = 4003
    /// The client did not authenticate in time.
    case handshakeTimeout = 4004
}
