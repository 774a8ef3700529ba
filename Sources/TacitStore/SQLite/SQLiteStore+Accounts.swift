import Foundation
import GRDB

extension SQLiteStore {
    public func createAccount(username: String, device: NewDevice,
                              deviceList: StoredDeviceList) async throws -> DeviceRecord {
        try await write(.createAccount) { db in
            // Writes are serialized, so this check cannot race; the unique index backs it up.
            if try DeviceQueries.accountID(username: username, db) != nil { throw StoreError.usernameTaken }
            do {
                try db.execute(sql: "INSERT INTO accounts (username) VALUES (?)", arguments: [username])
            } catch let error where SQLiteErrorMapping.isUniqueViolation(error) {
                throw StoreError.usernameTaken
            }
            let accountID = db.lastInsertedRowID
            try DeviceQueries.insertDeviceList(deviceList, accountID: accountID, db)
            return try DeviceQueries.insertDevice(device, accountID: accountID, username: username, db)
        }
    }

    public func device(id: DeviceID) async throws -> DeviceRecord? {
        try await read(.device) { db in
            guard let id = SQLiteInteger.storedID(id) else { return nil }
            return try DeviceQueries.device(id: id, db)
        }
    }

    public func device(identityKey: [UInt8]) async throws -> DeviceRecord? {
        try await read(.device) { db in try DeviceQueries.device(identityKey: identityKey, db) }
    }

    public func activeDevices(username: String) async throws -> [DeviceRecord] {
        try await read(.activeDevices) { db in
            guard let accountID = try DeviceQueries.accountID(username: username, db) else { return [] }
            return try DeviceQueries.activeDevices(accountID: accountID, db)
        }
    }

    public func deviceList(username: String) async throws -> StoredDeviceList? {
        try await read(.deviceList) { db in
            guard let accountID = try DeviceQueries.accountID(username: username, db) else { return nil }
            return try DeviceQueries.deviceList(accountID: accountID, db)
        }
    }

    public func addDevice(username: String, device: NewDevice, deviceList: StoredDeviceList,
                          replacingVersion: UInt64) async throws -> DeviceRecord {
        try await write(.addDevice) { db in
            guard let accountID = try DeviceQueries.accountID(username: username, db) else {
                throw StoreError.notFound
            }
            try DeviceQueries.replaceDeviceList(deviceList, accountID: accountID,
                                                replacingVersion: replacingVersion, db)
            return try DeviceQueries.insertDevice(device, accountID: accountID, username: username, db)
        }
    }

    public func revokeDevice(id: DeviceID, deviceList: StoredDeviceList, replacingVersion: UInt64) async throws {
        let now = Date()
        try await write(.revokeDevice) { db in
            guard let deviceID = SQLiteInteger.storedID(id),
                  let accountID = try Int64.fetchOne(db, sql: "SELECT account_id FROM devices WHERE id = ?",
                                                     arguments: [deviceID])
            else { throw StoreError.notFound }
            try DeviceQueries.replaceDeviceList(deviceList, accountID: accountID,
                                                replacingVersion: replacingVersion, db)
            // Revoking twice keeps the first revocation time.
            try db.execute(sql: "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                           arguments: [SQLiteDate.stored(now), deviceID])
            try QueueQueries.dropQueue(of: deviceID, db)
            try KeyPackageQueries.deleteAll(device: deviceID, db)
            // A code the revoked device handed out must not let anyone join any more.
            try db.execute(sql: "DELETE FROM link_codes WHERE creator_device_id = ?", arguments: [deviceID])
        }
    }
}
