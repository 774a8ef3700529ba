import TacitStore
import TacitWire

/// What other parts of the server tell a live connection.
enum SessionEvent: Sendable {
    /// A newer connection authenticated as the same device.
    case replaced
    /// The device was revoked.
    case revoked
    /// A new device claimed one of this device's link codes.
    case linkRequested(WireLinkRequested)
    /// This (claiming) connection's link code was approved; it now is `DeviceRecord`.
    case linkApproved(DeviceRecord)
    /// This (claiming) connection's link code expired unapproved.
    case linkExpired
    /// The connection did not authenticate in time.
    case handshakeTimedOut
    /// Claims took this device's one-time KeyPackages below the server's threshold.
    case keyPackagesLow(WireKeyPackagesLow)
}
