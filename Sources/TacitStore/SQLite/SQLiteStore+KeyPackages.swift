import Foundation
import GRDB

extension SQLiteStore {
    public func publishKeyPackages(device: DeviceID, oneTime: [[UInt8]], lastResort: [UInt8]?,
                                   maxStored: Int, now: Date) async throws -> KeyPackageInventory {
        try await write(.publishKeyPackages) { db in
            guard let device = SQLiteInteger.storedID(device) else { throw StoreError.notFound }
            return try KeyPackageQueries.publish(device: device, oneTime: oneTime, lastResort: lastResort,
                                                 maxStored: maxStored, now: now, db)
        }
    }

    public func keyPackageInventory(device: DeviceID) async throws -> KeyPackageInventory {
        try await read(.keyPackageInventory) { db in
            guard let device = SQLiteInteger.storedID(device) else {
                return KeyPackageInventory(oneTime: 0, hasLastResort: false)
            }
            return try KeyPackageQueries.inventory(device: device, db)
        }
    }

    public func claimKeyPackages(devices: [DeviceID]) async throws -> [KeyPackageClaim] {
        var seen = Set<DeviceID>()
        let wanted = devices.filter { seen.insert($0).inserted }.compactMap(SQLiteInteger.storedID)
        guard !wanted.isEmpty else { return [] }
        return try await write(.claimKeyPackages) { db in
            try wanted.compactMap { try KeyPackageQueries.claim(device: $0, db) }
        }
    }
}
