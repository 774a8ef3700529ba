import TacitWire
import TacitStore

/// The device an authenticated connection acts for. Every request on the connection is
/// made as this device; no request field can name another sender.
struct AuthenticatedDevice: Sendable, Equatable {
    var id: DeviceID
    var username: String
    var identityKey: [UInt8]

    init(id: DeviceID, username: String, identityKey: [UInt8]) {
        self.id = id
        self.username = username
        self.identityKey = identityKey
    }

    init(_ record: DeviceRecord) {
        self.init(id: record.id, username: record.username, identityKey: record.identityKey)
    }
}

/// Why the server closes a socket: a close code and a short reason for the client's log.
struct CloseReason: Sendable, Equatable {
    var code: WireCloseCode
    var reason: String
}
