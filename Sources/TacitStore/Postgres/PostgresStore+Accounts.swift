import Foundation
import PostgresNIO

extension PostgresStore {
    public func createAccount(username: String, device: NewDevice,
                              deviceList: StoredDeviceList) async throws -> DeviceRecord {
        try await transaction(.createAccount) { db in
            // Of concurrent sign-ups for one name, the later inserts wait for the first to
            // commit, then insert nothing: that is the race's answer, no error to catch.
            let rows = try await db.rows("""
                INSERT INTO accounts (username) VALUES (\(username))
                ON CONFLICT (username) DO NOTHING RETURNING id
                """, logger: logger)
            guard let accountID = try rows.first?.decode(Int64.self) else { throw StoreError.usernameTaken }
            try await PostgresDeviceQueries.insertDeviceList(deviceList, accountID: accountID, db, logger: logger)
            return try await PostgresDeviceQueries.insertDevice(device, accountID: accountID, username: username,
                                                                db, logger: logger)
        }
    }

    public func device(id: DeviceID) async throws -> DeviceRecord? {
        try await read(.device) { db in
            guard let id = PostgresValue.storedID(id) else { return nil }
            return try await PostgresDeviceQueries.device(id: id, db, logger: logger)
        }
    }

    public func device(identityKey: [UInt8]) async throws -> DeviceRecord? {
        try await read(.device) { db in
            try await PostgresDeviceQueries.device(identityKey: identityKey, db, logger: logger)
        }
    }

    public func activeDevices(username: String) async throws -> [DeviceRecord] {
        try await read(.activeDevices) { db in
            try await PostgresDeviceQueries.activeDevices(username: username, db, logger: logger)
        }
    }

    public func deviceList(username: String) async throws -> StoredDeviceList? {
        try await read(.deviceList) { db in
            try await PostgresDeviceQueries.deviceList(username: username, db, logger: logger)
        }
    }

    public func addDevice(username: String, device: NewDevice, deviceList: StoredDeviceList,
                          replacingVersion: UInt64) async throws -> DeviceRecord {
        try await transaction(.addDevice) { db in
            guard let accountID = try await PostgresDeviceQueries.accountID(username: username, db, logger: logger)
            else { throw StoreError.notFound }
            try await PostgresDeviceQueries.replaceDeviceList(deviceList, accountID: accountID,
                                                              replacingVersion: replacingVersion, db, logger: logger)
            return try await PostgresDeviceQueries.insertDevice(device, accountID: accountID, username: username,
                                                                db, logger: logger)
        }
    }

    public func revokeDevice(id: DeviceID, deviceList: StoredDeviceList, replacingVersion: UInt64) async throws {
        let now = PostgresValue.date(Date())
        try await transaction(.revokeDevice) { db in
            guard let deviceID = PostgresValue.storedID(id),
                  let accountID = try await db.rows("SELECT account_id FROM devices WHERE id = \(deviceID)",
                                                    logger: logger).first?.decode(Int64.self)
            else { throw StoreError.notFound }
            try await PostgresDeviceQueries.replaceDeviceList(deviceList, accountID: accountID,
                                                              replacingVersion: replacingVersion, db, logger: logger)
            // This waits for enqueues holding the device's row; the queue dropped next then
            // holds everything they stored, and later enqueues see the device revoked.
            // Revoking twice keeps the first revocation time.
            _ = try await db.rows("""
                UPDATE devices SET revoked_at = COALESCE(revoked_at, \(now)) WHERE id = \(deviceID)
                """, logger: logger)
            _ = try await db.rows("SELECT tacit_drop_queue(\(deviceID))", logger: logger)
            _ = try await db.rows("DELETE FROM key_packages WHERE device_id = \(deviceID)", logger: logger)
            _ = try await db.rows("DELETE FROM last_resort_key_packages WHERE device_id = \(deviceID)", logger: logger)
            // A code the revoked device handed out must not let anyone join any more.
            _ = try await db.rows("DELETE FROM link_codes WHERE creator_device_id = \(deviceID)", logger: logger)
        }
    }
}
