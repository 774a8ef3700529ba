import Foundation
import GRDB

/// SQL for devices, accounts and device lists, run inside a store transaction.
enum DeviceQueries {
    private static let selectDevice = """
        SELECT d.id, a.username, d.identity_key, d.name, d.created_at, d.revoked_at
        FROM devices d JOIN accounts a ON a.id = d.account_id
        """

    static func device(id: Int64, _ db: Database) throws -> DeviceRecord? {
        try Row.fetchOne(db, sql: "\(selectDevice) WHERE d.id = ?", arguments: [id]).map(decodeDevice)
    }

    static func device(identityKey: [UInt8], _ db: Database) throws -> DeviceRecord? {
        try Row.fetchOne(db, sql: "\(selectDevice) WHERE d.identity_key = \(SQLiteBlob.parameter)",
                         arguments: [SQLiteBlob.value(identityKey)]).map(decodeDevice)
    }

    static func activeDevices(accountID: Int64, _ db: Database) throws -> [DeviceRecord] {
        try Row.fetchAll(db, sql: """
            \(selectDevice) WHERE d.account_id = ? AND d.revoked_at IS NULL
            ORDER BY d.created_at, d.id
            """, arguments: [accountID]).map(decodeDevice)
    }

    /// Whether `id` names a device that exists and is not revoked.
    static func isActive(_ id: Int64, _ db: Database) throws -> Bool {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM devices WHERE id = ? AND revoked_at IS NULL")
        return try Int64.fetchOne(statement, arguments: [id]) != nil
    }

    static func accountID(username: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM accounts WHERE username = ?", arguments: [username])
    }

    static func identityKeyExists(_ key: [UInt8], _ db: Database) throws -> Bool {
        try Int64.fetchOne(db, sql: "SELECT 1 FROM devices WHERE identity_key = \(SQLiteBlob.parameter)",
                           arguments: [SQLiteBlob.value(key)]) != nil
    }

    /// Inserts a device into an account; a reused identity key is a ``StoreError/conflict``.
    static func insertDevice(_ device: NewDevice, accountID: Int64, username: String,
                             _ db: Database) throws -> DeviceRecord {
        if try identityKeyExists(device.identityKey, db) { throw StoreError.conflict }
        do {
            try db.execute(sql: """
                INSERT INTO devices (account_id, identity_key, name, created_at)
                VALUES (?, \(SQLiteBlob.parameter), ?, ?)
                """, arguments: [accountID, SQLiteBlob.value(device.identityKey), device.name,
                                 SQLiteDate.stored(device.createdAt)])
        } catch let error where SQLiteErrorMapping.isUniqueViolation(error) {
            throw StoreError.conflict
        }
        return DeviceRecord(id: SQLiteInteger.id(db.lastInsertedRowID), username: username,
                            identityKey: device.identityKey, name: device.name,
                            createdAt: device.createdAt, revokedAt: nil)
    }

    static func deviceList(accountID: Int64, _ db: Database) throws -> StoredDeviceList? {
        guard let row = try Row.fetchOne(db, sql: "SELECT version, signed_list FROM device_lists WHERE account_id = ?",
                                         arguments: [accountID]) else { return nil }
        return StoredDeviceList(version: SQLiteInteger.version(stored: try row.decode(forColumn: "version")),
                                signedList: SQLiteBlob.bytes(try row.decode(forColumn: "signed_list")))
    }

    static func insertDeviceList(_ list: StoredDeviceList, accountID: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO device_lists (account_id, version, signed_list) VALUES (?, ?, \(SQLiteBlob.parameter))
            """, arguments: [accountID, SQLiteInteger.version(list.version), SQLiteBlob.value(list.signedList)])
    }

    /// Replaces the account's list only if it still has `replacingVersion`.
    static func replaceDeviceList(_ list: StoredDeviceList, accountID: Int64, replacingVersion: UInt64,
                                  _ db: Database) throws {
        try db.execute(sql: """
            UPDATE device_lists SET version = ?, signed_list = \(SQLiteBlob.parameter)
            WHERE account_id = ? AND version = ?
            """, arguments: [SQLiteInteger.version(list.version), SQLiteBlob.value(list.signedList),
                             accountID, SQLiteInteger.version(replacingVersion)])
        if db.changesCount == 0 { throw StoreError.conflict }
    }

    private static func decodeDevice(_ row: Row) throws -> DeviceRecord {
        let revokedAt: Double? = try row.decode(forColumn: "revoked_at")
        return DeviceRecord(id: SQLiteInteger.id(try row.decode(forColumn: "id")),
                            username: try row.decode(forColumn: "username"),
                            identityKey: SQLiteBlob.bytes(try row.decode(forColumn: "identity_key")),
                            name: try row.decode(forColumn: "name"),
                            createdAt: SQLiteDate.date(try row.decode(forColumn: "created_at")),
                            revokedAt: revokedAt.map(SQLiteDate.date))
    }
}
