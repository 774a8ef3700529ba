import Foundation
import GRDB

/// SQL for the KeyPackage directory, run inside a store transaction.
enum KeyPackageQueries {
    static func inventory(device: Int64, _ db: Database) throws -> KeyPackageInventory {
        let oneTime = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM key_packages WHERE device_id = ?",
                                       arguments: [device]) ?? 0
        let lastResort = try Int64.fetchOne(db, sql: "SELECT 1 FROM last_resort_key_packages WHERE device_id = ?",
                                            arguments: [device]) != nil
        return KeyPackageInventory(oneTime: oneTime, hasLastResort: lastResort)
    }

    static func publish(device: Int64, oneTime: [[UInt8]], lastResort: [UInt8]?, maxStored: Int,
                        now: Date, _ db: Database) throws -> KeyPackageInventory {
        guard try DeviceQueries.isActive(device, db) else { throw StoreError.notFound }
        let stored = try inventory(device: device, db)
        guard stored.oneTime + oneTime.count <= maxStored else { throw StoreError.quotaExceeded(limit: maxStored) }
        let publishedAt = SQLiteDate.stored(now)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO key_packages (device_id, package, published_at) VALUES (?, \(SQLiteBlob.parameter), ?)
            """)
        for package in oneTime {
            try insert.execute(arguments: [device, SQLiteBlob.value(package), publishedAt])
        }
        if let lastResort {
            try db.execute(sql: """
                INSERT INTO last_resort_key_packages (device_id, package, published_at)
                VALUES (?, \(SQLiteBlob.parameter), ?)
                ON CONFLICT (device_id) DO UPDATE SET package = excluded.package, published_at = excluded.published_at
                """, arguments: [device, SQLiteBlob.value(lastResort), publishedAt])
        }
        return KeyPackageInventory(oneTime: stored.oneTime + oneTime.count,
                                   hasLastResort: stored.hasLastResort || lastResort != nil)
    }

    /// Takes one package of `device` (the oldest one-time one, else the last-resort one).
    /// Writes are serialized on the one writer connection, so no other claim can take
    /// the same row between the read and the delete.
    static func claim(device: Int64, _ db: Database) throws -> KeyPackageClaim? {
        guard try DeviceQueries.isActive(device, db) else { return nil }
        let taken = try Row.fetchOne(db, sql: """
            DELETE FROM key_packages
            WHERE id = (SELECT id FROM key_packages WHERE device_id = ? ORDER BY id LIMIT 1)
            RETURNING package
            """, arguments: [device])
        if let taken {
            let remaining = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM key_packages WHERE device_id = ?",
                                             arguments: [device]) ?? 0
            return KeyPackageClaim(device: SQLiteInteger.id(device),
                                   keyPackage: SQLiteBlob.bytes(try taken.decode(forColumn: "package")),
                                   isLastResort: false, remainingOneTime: remaining)
        }
        guard let lastResort = try Data.fetchOne(db, sql: """
            SELECT package FROM last_resort_key_packages WHERE device_id = ?
            """, arguments: [device]) else { return nil }
        return KeyPackageClaim(device: SQLiteInteger.id(device), keyPackage: SQLiteBlob.bytes(lastResort),
                               isLastResort: true, remainingOneTime: 0)
    }

    /// Deletes every package of a device (when it is revoked).
    static func deleteAll(device: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM key_packages WHERE device_id = ?", arguments: [device])
        try db.execute(sql: "DELETE FROM last_resort_key_packages WHERE device_id = ?", arguments: [device])
    }
}
