import Foundation
import TacitWire

extension TacitClient {
    /// Publishes this device's KeyPackages to the server's directory, so others can add it
    /// to groups while it is offline.
    ///
    /// Each package is the bare TLS encoding of an MLS `KeyPackage` whose leaf signature
    /// key is this device's key and whose BasicCredential identity is
    /// ``memberIdentity(username:deviceID:)`` of this device; the server refuses the whole
    /// publish (``ServerError/Code/badRequest``) if any package is not. At most 200
    /// one-time packages per call and 500 stored (``ServerError/Code/tooLarge``).
    /// - Parameters:
    ///   - packages: one-time packages, appended to those stored.
    ///   - lastResort: replaces the stored last-resort package when not `nil`.
    /// - Returns: the stock after publishing.
    @discardableResult
    public func publishKeyPackages(_ packages: [[UInt8]], lastResort: [UInt8]?) async throws(ClientError) -> KeyPackageStock {
        var request = WirePublishKeyPackagesRequest()
        request.keyPackages = packages.map { Data($0) }
        request.lastResort = Data(lastResort ?? [])
        switch try await currentSession().request(.publishKeyPackages(request)) {
        case .publishKeyPackages(let response):
            return KeyPackageStock(oneTime: Int(response.stock), hasLastResort: response.hasLastResort_p)
        default:
            throw .protocolViolation("the answer to PublishKeyPackages is not a PublishKeyPackagesResponse")
        }
    }

    /// This device's KeyPackages in the server's directory.
    public func keyPackageStock() async throws(ClientError) -> KeyPackageStock {
        switch try await currentSession().request(.keyPackageStock(WireKeyPackageStockRequest())) {
        case .keyPackageStock(let response):
            return KeyPackageStock(oneTime: Int(response.stock), hasLastResort: response.hasLastResort_p)
        default:
            throw .protocolViolation("the answer to KeyPackageStock is not a KeyPackageStockResponse")
        }
    }

    /// Takes one KeyPackage of each device in `devices` from the directory (at most 1000):
    /// a one-time one, which nobody else will get, or the device's last-resort package when
    /// it has none left.
    ///
    /// Devices that are unknown, revoked or have no package at all are absent from the
    /// result, which otherwise follows the order of `devices`.
    public func claimKeyPackages(for devices: [DeviceID]) async throws(ClientError) -> [ClaimedKeyPackage] {
        var request = WireClaimKeyPackagesRequest()
        request.deviceIds = devices
        switch try await currentSession().request(.claimKeyPackages(request)) {
        case .claimKeyPackages(let response):
            return response.keyPackages.map {
                ClaimedKeyPackage(deviceID: $0.deviceID, keyPackage: Array($0.keyPackage), isLastResort: $0.lastResort)
            }
        default:
            throw .protocolViolation("the answer to ClaimKeyPackages is not a ClaimKeyPackagesResponse")
        }
    }
}
