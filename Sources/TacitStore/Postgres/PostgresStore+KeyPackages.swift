import Foundation
import NIOCore
import PostgresNIO

extension PostgresStore {
    public func publishKeyPackages(device: DeviceID, oneTime: [[UInt8]], lastResort: [UInt8]?,
                                   maxStored: Int, now: Date) async throws -> KeyPackageInventory {
        guard let device = PostgresValue.storedID(device) else { throw StoreError.notFound }
        let publishedAt = PostgresValue.date(now)
        return try await transaction(.publishKeyPackages) { db in
            // The device's row lock serializes its publishes (so the cap holds) and orders
            // them against revoking it: a publish either commits first and is deleted with
            // the device's packages, or sees the device revoked.
            let active = try await db.rows("""
                SELECT id FROM devices WHERE id = \(device) AND revoked_at IS NULL FOR NO KEY UPDATE
                """, logger: logger)
            guard !active.isEmpty else { throw StoreError.notFound }
            let stored = try await PostgresKeyPackageQueries.inventory(device: device, db, logger: logger)
            guard stored.oneTime + oneTime.count <= maxStored else { throw StoreError.quotaExceeded(limit: maxStored) }
            if !oneTime.isEmpty {
                let packages = oneTime.map(PostgresValue.bytes)
                _ = try await db.rows("""
                    INSERT INTO key_packages (device_id, package, published_at)
                    SELECT \(device), given.p, \(publishedAt)
                    FROM unnest(\(packages)::bytea[]) WITH ORDINALITY AS given(p, ord) ORDER BY given.ord
                    """, logger: logger)
            }
            if let lastResort {
                _ = try await db.rows("""
                    INSERT INTO last_resort_key_packages (device_id, package, published_at)
                    VALUES (\(device), \(PostgresValue.bytes(lastResort)), \(publishedAt))
                    ON CONFLICT (device_id) DO UPDATE SET package = excluded.package, published_at = excluded.published_at
                    """, logger: logger)
            }
            return KeyPackageInventory(oneTime: stored.oneTime + oneTime.count,
                                       hasLastResort: stored.hasLastResort || lastResort != nil)
        }
    }

    public func keyPackageInventory(device: DeviceID) async throws -> KeyPackageInventory {
        try await read(.keyPackageInventory) { db in
            guard let device = PostgresValue.storedID(device) else {
                return KeyPackageInventory(oneTime: 0, hasLastResort: false)
            }
            return try await PostgresKeyPackageQueries.inventory(device: device, db, logger: logger)
        }
    }

    public func claimKeyPackages(devices: [DeviceID]) async throws -> [KeyPackageClaim] {
        var seen = Set<DeviceID>()
        let wanted = devices.filter { seen.insert($0).inserted }.compactMap(PostgresValue.storedID)
        guard !wanted.isEmpty else { return [] }
        let claims = try await transaction(.claimKeyPackages) { db in
            try await PostgresKeyPackageQueries.claim(devices: wanted, db, logger: logger)
        }
        return wanted.compactMap { claims[PostgresValue.id($0)] }
    }
}

/// SQL for the KeyPackage directory.
enum PostgresKeyPackageQueries {
    static func inventory(device: Int64, _ db: any PostgresQueryable,
                          logger: Logger) async throws -> KeyPackageInventory {
        let row = try await db.rows("""
            SELECT (SELECT count(*) FROM key_packages WHERE device_id = \(device)),
                   EXISTS (SELECT 1 FROM last_resort_key_packages WHERE device_id = \(device))
            """, logger: logger).first
        guard let row else { return KeyPackageInventory(oneTime: 0, hasLastResort: false) }
        let (count, lastResort) = try row.decode((Int64, Bool).self)
        return KeyPackageInventory(oneTime: Int(count), hasLastResort: lastResort)
    }

    /// Takes the oldest one-time package of each active device in `devices`, skipping rows
    /// a concurrent claim has locked (so two claims never take the same package, and
    /// neither waits for the other), and the last-resort package of the others.
    static func claim(devices: [Int64], _ db: PostgresConnection,
                      logger: Logger) async throws -> [DeviceID: KeyPackageClaim] {
        let taken = try await db.rows("""
            WITH picked AS (
                SELECT k.id
                FROM unnest(\(devices)::bigint[]) AS wanted(id)
                JOIN devices d ON d.id = wanted.id AND d.revoked_at IS NULL
                CROSS JOIN LATERAL (
                    SELECT id FROM key_packages WHERE device_id = wanted.id
                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                ) k
            )
            DELETE FROM key_packages kp USING picked WHERE kp.id = picked.id
            RETURNING kp.device_id, kp.package
            """, logger: logger)
        var claims: [DeviceID: KeyPackageClaim] = [:]
        for row in taken {
            let (device, package) = try row.decode((Int64, ByteBuffer).self)
            claims[PostgresValue.id(device)] = KeyPackageClaim(device: PostgresValue.id(device),
                                                               keyPackage: PostgresValue.bytes(stored: package),
                                                               isLastResort: false, remainingOneTime: 0)
        }
        let claimedIDs = claims.keys.compactMap(PostgresValue.storedID)
        if !claimedIDs.isEmpty {
            let counts = try await db.rows("""
                SELECT device_id, count(*) FROM key_packages WHERE device_id = ANY(\(claimedIDs))
                GROUP BY device_id
                """, logger: logger)
            for row in counts {
                let (device, count) = try row.decode((Int64, Int64).self)
                claims[PostgresValue.id(device)]?.remainingOneTime = Int(count)
            }
        }
        let missing = devices.filter { claims[PostgresValue.id($0)] == nil }
        if !missing.isEmpty {
            let lastResorts = try await db.rows("""
                SELECT l.device_id, l.package FROM last_resort_key_packages l
                JOIN devices d ON d.id = l.device_id AND d.revoked_at IS NULL
                WHERE l.device_id = ANY(\(missing))
                """, logger: logger)
            for row in lastResorts {
                let (device, package) = try row.decode((Int64, ByteBuffer).self)
                claims[PostgresValue.id(device)] = KeyPackageClaim(device: PostgresValue.id(device),
                                                                   keyPackage: PostgresValue.bytes(stored: package),
                                                                   isLastResort: true, remainingOneTime: 0)
            }
        }
        return claims
    }
}
