import TacitWire

/// Something the server tells this device outside of any request, delivered through
/// ``TacitClient/notices``.
public enum ServerNotice: Sendable, Equatable {
    /// Others' claims took this device's one-time KeyPackages below the server's
    /// threshold; `stock` are left. Publish more with
    /// ``TacitClient/publishKeyPackages(_:lastResort:)``.
    case keyPackagesLow(stock: Int)

    init(_ notice: WireKeyPackagesLow) {
        self = .keyPackagesLow(stock: Int(notice.stock))
    }
}
