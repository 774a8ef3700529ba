import Foundation
import Logging
import TacitMLS

/// Keeping this device's KeyPackages stocked on the server: a batch of one-time packages
/// and one last-resort package (used when the one-time ones run out). The private keys are
/// stored (sealed) before a package is published, so every Welcome for it can be joined.
extension Messenger {
    func topUpKeyPackages() async throws(MessengerError) {
        let stock = try await clientCall { () async throws(ClientError) in try await client.keyPackageStock() }
        var oneTime: [KeyPackageBundle] = []
        var lastResort: KeyPackageBundle?
        if stock.oneTime < options.keyPackageLowWatermark {
            for _ in 0..<max(1, options.keyPackageBatch - stock.oneTime) { oneTime.append(try makeKeyPackage()) }
        }
        if !stock.hasLastResort { lastResort = try makeKeyPackage() }
        guard !oneTime.isEmpty || lastResort != nil else { return }
        try store.saveKeyPackages(oneTime, lastResort: false, suite: suite, now: Date())
        if let lastResort { try store.saveKeyPackages([lastResort], lastResort: true, suite: suite, now: Date()) }
        _ = try await clientCall { () async throws(ClientError) in
            try await client.publishKeyPackages(oneTime.map(\.keyPackage.mlsEncoded), lastResort: lastResort?.keyPackage.mlsEncoded)
        }
        logger.debug("published KeyPackages", metadata: ["one-time": "\(oneTime.count)", "last-resort": "\(lastResort != nil)"])
    }

    private func makeKeyPackage() throws(MessengerError) -> KeyPackageBundle {
        let identity = signingIdentity
        let capabilities = leafCapabilities
        return try Self.mls { () throws(MLSGroupError) in
            try KeyPackageBundle.create(suite: .mls128X25519AES128GCMSHA256Ed25519, identity: identity,
                                        capabilities: capabilities)
        }
    }

    /// Claims KeyPackages for `targets` (verified devices of their accounts) and keeps those
    /// that really belong to the device: its identity key signs the leaf and the credential
    /// names the account and device.
    func claimVerifiedKeyPackages(for targets: [(username: String, device: DeviceInfo)]) async throws(MessengerError) -> [DeviceID: KeyPackage] {
        var result: [DeviceID: KeyPackage] = [:]
        var byDevice: [DeviceID: (username: String, device: DeviceInfo)] = [:]
        for target in targets { byDevice[target.device.id] = target }
        let ids = Array(byDevice.keys).sorted()
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + options.maximumClaimBatch)])
            start += chunk.count
            let claimed = try await clientCall { () async throws(ClientError) in try await client.claimKeyPackages(for: chunk) }
            for package in claimed {
                guard let target = byDevice[package.deviceID],
                      let keyPackage = try? KeyPackage(mlsEncoded: package.keyPackage) else { continue }
                let expected = Credential.basic(identity: TacitClient.memberIdentity(username: target.username,
                                                                                    deviceID: target.device.id))
                guard keyPackage.leafNode.signatureKey == target.device.identityKey,
                      keyPackage.leafNode.credential == expected,
                      keyPackage.cipherSuite == .mls128X25519AES128GCMSHA256Ed25519 else {
                    logger.warning("ignoring a KeyPackage that does not match its device",
                                   metadata: ["username": "\(target.username)", "device": "\(target.device.id)"])
                    continue
                }
                result[package.deviceID] = keyPackage
            }
        }
        return result
    }
}
