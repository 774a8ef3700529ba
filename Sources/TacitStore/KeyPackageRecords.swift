import Foundation

/// How many KeyPackages a device has in the directory.
public struct KeyPackageInventory: Sendable, Equatable {
    /// One-time packages left.
    public var oneTime: Int
    /// Whether the device has a last-resort package (handed out when no one-time one is left).
    public var hasLastResort: Bool

    public init(oneTime: Int, hasLastResort: Bool) {
        self.oneTime = oneTime
        self.hasLastResort = hasLastResort
    }
}

/// A KeyPackage taken from the directory by ``TacitStore/claimKeyPackages(devices:)``.
public struct KeyPackageClaim: Sendable, Equatable {
    public var device: DeviceID
    /// The package as the device published it (opaque to the store).
    public var keyPackage: [UInt8]
    /// True when the device had no one-time package left; the last-resort package stays
    /// stored and may be handed out again.
    public var isLastResort: Bool
    /// One-time packages the device has left after this claim.
    public var remainingOneTime: Int

    public init(device: DeviceID, keyPackage: [UInt8], isLastResort: Bool, remainingOneTime: Int) {
        self.device = device
        self.keyPackage = keyPackage
        self.isLastResort = isLastResort
        self.remainingOneTime = remainingOneTime
    }
}
