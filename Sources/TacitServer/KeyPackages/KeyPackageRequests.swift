import Foundation
import Prometheus
import TacitStore
import TacitWire

/// The KeyPackage directory: devices publish packages for themselves and claim others'.
struct KeyPackageRequests: Sendable {
    let context: ServerContext

    /// Validates and stores the connection's own packages; any invalid one refuses all.
    func publish(_ request: WirePublishKeyPackagesRequest, from device: AuthenticatedDevice,
                 now: Date) async throws(RequestFailure) -> WirePublishKeyPackagesResponse {
        let packages = try KeyPackageRules(device: device).validate(request, now: now)
        let inventory = try await context.storeCall("publish_key_packages") {
            try await $0.publishKeyPackages(device: device.id, oneTime: packages.oneTime,
                                            lastResort: packages.lastResort,
                                            maxStored: KeyPackageRules.maxStoredPerDevice, now: now)
        }
        var response = WirePublishKeyPackagesResponse()
        response.stock = UInt32(clamping: inventory.oneTime)
        response.hasLastResort_p = inventory.hasLastResort
        return response
    }

    func stock(of device: AuthenticatedDevice) async throws(RequestFailure) -> WireKeyPackageStockResponse {
        let inventory = try await context.storeCall("key_package_inventory") {
            try await $0.keyPackageInventory(device: device.id)
        }
        var response = WireKeyPackageStockResponse()
        response.stock = UInt32(clamping: inventory.oneTime)
        response.hasLastResort_p = inventory.hasLastResort
        return response
    }

    /// Takes one package per listed device, and tells devices whose stock ran low.
    func claim(_ request: WireClaimKeyPackagesRequest) async throws(RequestFailure) -> WireClaimKeyPackagesResponse {
        guard request.deviceIds.count <= KeyPackageRules.maxDevicesPerClaim else {
            throw .tooLarge("claim KeyPackages of at most \(KeyPackageRules.maxDevicesPerClaim) devices at once, "
                                + "not \(request.deviceIds.count)")
        }
        let devices = request.deviceIds
        let claims = try await context.storeCall("claim_key_packages") { try await $0.claimKeyPackages(devices: devices) }
        var response = WireClaimKeyPackagesResponse()
        response.keyPackages = claims.map { claim in
            var claimed = WireClaimedKeyPackage()
            claimed.deviceID = claim.device
            claimed.keyPackage = Data(claim.keyPackage)
            claimed.lastResort = claim.isLastResort
            return claimed
        }
        context.metrics.keyPackagesClaimed.increment(by: Int64(claims.count))
        context.metrics.lastResortKeyPackagesClaimed.increment(by: Int64(claims.filter(\.isLastResort).count))
        KeyPackageStockNotices(context: context).claimed(claims)
        return response
    }
}
