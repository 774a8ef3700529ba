import Foundation
import TacitWire

/// A message delivered to this device, as handed to the app through ``TacitClient/incoming``.
///
/// Each message reaches the app once, even when the server delivers it again (after a lost
/// acknowledgement or a reconnect). Call ``TacitClient/acknowledge(_:)`` once the app has
/// stored or shown it; until then the server keeps it queued, and a restarted client gets
/// it again.
public struct IncomingEnvelope: Sendable, Equatable {
    /// Position in this device's queue on the server.
    public var queueID: UInt64
    /// The device that sent it (assigned by the server from the sender's authentication).
    public var senderDeviceID: DeviceID
    /// The account of the sending device.
    public var senderUsername: String
    /// The sender's id for the message; with the sender device, what makes it unique.
    public var clientMessageID: ClientMessageID
    /// When the server accepted the message.
    public var serverTime: Date
    /// The message as sent (opaque to the server).
    public var body: [UInt8]

    public init(queueID: UInt64, senderDeviceID: DeviceID, senderUsername: String,
                clientMessageID: ClientMessageID, serverTime: Date, body: [UInt8]) {
        self.queueID = queueID
        self.senderDeviceID = senderDeviceID
        self.senderUsername = senderUsername
        self.clientMessageID = clientMessageID
        self.serverTime = serverTime
        self.body = body
    }

    init(_ wire: WireEnvelope) {
        self.init(queueID: wire.queueID, senderDeviceID: wire.senderDeviceID, senderUsername: wire.senderUsername,
                  clientMessageID: ClientMessageID(bytes: Array(wire.clientMessageID)),
                  serverTime: Date(millisecondsSince1970: wire.serverTimeMs), body: Array(wire.body))
    }
}

/// What the server said when it accepted a message.
public struct SendReceipt: Sendable, Equatable {
    /// The id the message was sent under.
    public var clientMessageID: ClientMessageID
    /// When the server stored it.
    public var serverTime: Date
    /// True when the server had stored this message before (a retry).
    public var duplicate: Bool
}

extension Date {
    init(millisecondsSince1970 ms: UInt64) {
        self.init(timeIntervalSince1970: Double(ms) / 1000)
    }

    var millisecondsSince1970: UInt64 {
        UInt64(max(0, (timeIntervalSince1970 * 1000).rounded()))
    }
}
