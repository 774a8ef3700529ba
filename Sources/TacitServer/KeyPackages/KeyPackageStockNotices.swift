import TacitStore
import TacitWire

/// Tells a device that its one-time KeyPackages are running out (`KeyPackagesLow`).
///
/// A claim that takes a device below the threshold pushes the notice to it at once when
/// it is connected to this node. A device that is offline (or connected to another node)
/// hears it when it next connects: ``connected(_:)`` checks the stock then. A device that
/// never published anything is not nagged.
struct KeyPackageStockNotices: Sendable {
    let context: ServerContext

    var threshold: Int { context.configuration.keyPackageLowStock }

    /// After a claim: pushes to every claimed device whose one-time stock is now low. A
    /// last-resort claim means the stock is 0 already (and the device was told before).
    func claimed(_ claims: [KeyPackageClaim]) {
        for claim in claims where !claim.isLastResort && claim.remainingOneTime < threshold {
            context.live.post(.keyPackagesLow(Self.notice(stock: claim.remainingOneTime)), to: claim.device)
        }
    }

    /// When a device connects: the notice to send it, if its stock is low.
    func connected(_ device: DeviceID) async -> WireKeyPackagesLow? {
        guard let inventory = try? await context.store.keyPackageInventory(device: device),
              inventory.oneTime < threshold, inventory.oneTime > 0 || inventory.hasLastResort
        else { return nil }
        return Self.notice(stock: inventory.oneTime)
    }

    static func notice(stock: Int) -> WireKeyPackagesLow {
        var notice = WireKeyPackagesLow()
        notice.stock = UInt32(clamping: stock)
        return notice
    }
}
