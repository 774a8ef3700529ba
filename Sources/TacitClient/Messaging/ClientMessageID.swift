/// A server-wide device identifier, assigned by the server when a device registers or links.
public typealias DeviceID = UInt64

/// The sender-chosen id of a message: 16 random bytes.
///
/// Sending again with the same id is idempotent: the server stores the message once, and
/// receivers de-duplicate by sender device and this id.
public struct ClientMessageID: Sendable, Hashable, CustomStringConvertible {
    /// The raw id (16 bytes for ids made by ``random()``).
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A fresh random id.
    public static func random() -> ClientMessageID {
        var generator = SystemRandomNumberGenerator()
        return ClientMessageID(bytes: (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    public var description: String { bytes.hexString }
}
