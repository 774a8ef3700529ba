import Logging
import PostgresNIO

/// SQL for devices, accounts and device lists.
enum PostgresDeviceQueries {
    private static let selectDevice = """
        SELECT d.id, a.username, d.identity_key, d.name, d.created_at, d.revoked_at
        FROM devices d JOIN accounts a ON a.id = d.account_id
        """

    static func device(id: Int64, _ db: any PostgresQueryable, logger: Logger) async throws -> DeviceRecord? {
        try await db.rows("\(unescaped: selectDevice) WHERE d.id = \(id)", logger: logger).first.map(decodeDevice)
    }

    static func device(identityKey: [UInt8], _ db: any PostgresQueryable, logger: Logger) async throws -> DeviceRecord? {
        try await db.rows("\(unescaped: selectDevice) WHERE d.identity_key = \(PostgresValue.bytes(identityKey))",
                          logger: logger).first.map(decodeDevice)
    }

    static func activeDevices(username: String, _ db: any PostgresQueryable,
                              logger: Logger) async throws -> [DeviceRecord] {
        try await db.rows("""
            \(unescaped: selectDevice) WHERE a.username = \(username) AND d.revoked_at IS NULL
            ORDER BY d.created_at, d.id
            """, logger: logger).map(decodeDevice)
    }

    static func accountID(username: String, _ db: any PostgresQueryable, logger: Logger) async throws -> Int64? {
        try await db.rows("SELECT id FROM accounts WHERE username = \(username)", logger: logger)
            .first?.decode(Int64.self)
    }

    /// Inserts a device into an account; a reused identity key is a ``StoreError/conflict``
    /// (also when another transaction inserted the key first and commits).
    static func insertDevice(_ device: NewDevice, accountID: Int64, username: String,
                             _ db: PostgresConnection, logger: Logger) async throws -> DeviceRecord {
        let rows = try await db.rows("""
            INSERT INTO devices (account_id, identity_key, name, created_at)
            VALUES (\(accountID), \(PostgresValue.bytes(device.identityKey)), \(device.name),
                    \(PostgresValue.date(device.createdAt)))
            ON CONFLICT (identity_key) DO NOTHING
            RETURNING id
            """, logger: logger)
        guard let id = try rows.first?.decode(Int64.self) else { throw StoreError.conflict }
        return DeviceRecord(id: PostgresValue.id(id), username: username, identityKey: device.identityKey,
                            name: device.name, createdAt: device.createdAt, revokedAt: nil)
    }

    static func deviceList(username: String, _ db: any PostgresQueryable,
                           logger: Logger) async throws -> StoredDeviceList? {
        guard let row = try await db.rows("""
            SELECT l.version, l.signed_list
            FROM device_lists l JOIN accounts a ON a.id = l.account_id
            WHERE a.username = \(username)
            """, logger: logger).first else { return nil }
        let (version, signedList) = try row.decode((Int64, ByteBuffer).self)
        return StoredDeviceList(version: PostgresValue.version(stored: version),
                                signedList: PostgresValue.bytes(stored: signedList))
    }

    static func insertDeviceList(_ list: StoredDeviceList, accountID: Int64, _ db: PostgresConnection,
                                 logger: Logger) async throws {
        _ = try await db.rows("""
            INSERT INTO device_lists (account_id, version, signed_list)
            VALUES (\(accountID), \(PostgresValue.version(list.version)), \(PostgresValue.bytes(list.signedList)))
            """, logger: logger)
    }

    /// Replaces the account's list only if it still has `replacingVersion`. Of concurrent
    /// replacements of one version, the later ones wait for the first, then find the
    /// version moved and fail with ``StoreError/conflict``.
    static func replaceDeviceList(_ list: StoredDeviceList, accountID: Int64, replacingVersion: UInt64,
                                  _ db: PostgresConnection, logger: Logger) async throws {
        let rows = try await db.rows("""
            UPDATE device_lists
            SET version = \(PostgresValue.version(list.version)), signed_list = \(PostgresValue.bytes(list.signedList))
            WHERE account_id = \(accountID) AND version = \(PostgresValue.version(replacingVersion))
            RETURNING account_id
            """, logger: logger)
        if rows.isEmpty { throw StoreError.conflict }
    }

    private static func decodeDevice(_ row: PostgresRow) throws -> DeviceRecord {
        let (id, username, identityKey, name, createdAt, revokedAt) =
            try row.decode((Int64, String, ByteBuffer, String, Double, Double?).self)
        return DeviceRecord(id: PostgresValue.id(id), username: username,
                            identityKey: PostgresValue.bytes(stored: identityKey), name: name,
                            createdAt: PostgresValue.date(stored: createdAt),
                            revokedAt: revokedAt.map(PostgresValue.date(stored:)))
    }
}
