import Foundation

/// A device as the blob service sees it: who it is, which account pays for its uploads, and
/// whether it may still act.
public struct BlobDevice: Sendable, Equatable {
    public var id: UInt64
    /// The account (username) that owns the device's uploads and whose quota they use.
    public var account: String
    /// The device's Ed25519 public key, which signs its requests.
    public var identityKey: [UInt8]
    public var isRevoked: Bool

    public init(id: UInt64, account: String, identityKey: [UInt8], isRevoked: Bool) {
        self.id = id
        self.account = account
        self.identityKey = identityKey
        self.isRevoked = isRevoked
    }
}

/// Where the blob service looks devices up. The server passes its store's device table;
/// tests pass a fixed list.
public protocol BlobDeviceDirectory: Sendable {
    /// The device with `id`, revoked or not; `nil` if there never was one.
    func device(id: UInt64) async throws -> BlobDevice?
}
