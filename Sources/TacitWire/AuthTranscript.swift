import Foundation

/// The byte strings that devices and the server sign during the handshake and for device
/// lists. Both sides build them here so they can never disagree.
public enum SignedMessages {
    /// What the server signs to prove its identity: `"tacit-server-v1" || clientNonce || challenge`.
    public static func serverProof(clientNonce: some Collection<UInt8>, challenge: some Collection<UInt8>) -> [UInt8] {
        Array("tacit-server-v1".utf8) + clientNonce + challenge
    }

    /// What a device signs to authenticate:
    /// `"tacit-auth-v1" || serverKey || challenge || timestampMs (u64, big-endian) || deviceKey`.
    public static func deviceAuth(serverKey: some Collection<UInt8>, challenge: some Collection<UInt8>,
                                  timestampMs: UInt64, deviceKey: some Collection<UInt8>) -> [UInt8] {
        var bytes = Array("tacit-auth-v1".utf8)
        bytes += serverKey
        bytes += challenge
        bytes += withUnsafeBytes(of: timestampMs.bigEndian, Array.init)
        bytes += deviceKey
        return bytes
    }

    /// What a device signs over a serialized ``WireDeviceList``: `"tacit-device-list-v1" || list`.
    public static func deviceList(_ serializedList: some Collection<UInt8>) -> [UInt8] {
        Array("tacit-device-list-v1".utf8) + serializedList
    }
}

/// Protocol constants shared by client and server.
public enum WireProtocol {
    /// Versions of this protocol that this build speaks, newest last.
    public static let supportedVersions: [UInt32] = [1]
    /// The WebSocket path of the message socket.
    public static let connectPath = "/v1/connect"
    /// Length of nonces and challenges.
    public static let nonceLength = 32
}
