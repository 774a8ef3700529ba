import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    private static let selectLinkCode = """
        SELECT l.code, a.username, l.creator_device_id, l.expires_at, l.claimed_device_key, l.claimed_device_name
        FROM link_codes l JOIN accounts a ON a.id = l.account_id
        """

    public func createLinkCode(_ code: LinkCode) async throws {
        try await transaction(.createLinkCode) { db in
            // The creator must be a live device of the account the code joins. Its row stays
            // share-locked until commit, so a concurrent revocation (which deletes the
            // device's codes) cannot slip in between the check and the insert.
            guard let creator = PostgresValue.storedID(code.creatorDevice),
                  let accountID = try await db.rows("""
                      SELECT d.account_id FROM devices d JOIN accounts a ON a.id = d.account_id
                      WHERE d.id = \(creator) AND a.username = \(code.username) AND d.revoked_at IS NULL
                      FOR SHARE OF d
                      """, logger: logger).first?.decode(Int64.self)
            else { throw StoreError.notFound }
            let claimedKey = code.claimedDeviceKey.map(PostgresValue.bytes)
            let rows = try await db.rows("""
                INSERT INTO link_codes (code, account_id, creator_device_id, expires_at,
                                        claimed_device_key, claimed_device_name)
                VALUES (\(code.code), \(accountID), \(creator), \(PostgresValue.date(code.expiresAt)),
                        \(claimedKey), \(code.claimedDeviceName))
                ON CONFLICT (code) DO NOTHING
                RETURNING code
                """, logger: logger)
            if rows.isEmpty { throw StoreError.conflict }
        }
    }

    public func claimLinkCode(_ code: String, deviceKey: [UInt8], deviceName: String,
                              now: Date) async throws -> LinkCode {
        try await transaction(.claimLinkCode) { db in
            // Of concurrent claims, the later ones wait for the first and then find the code
            // claimed: they update nothing, and the look-up below tells why.
            let claimed = try await db.rows("""
                UPDATE link_codes l
                SET claimed_device_key = \(PostgresValue.bytes(deviceKey)), claimed_device_name = \(deviceName)
                FROM accounts a
                WHERE a.id = l.account_id AND l.code = \(code) AND l.claimed_device_key IS NULL
                  AND l.expires_at > \(PostgresValue.date(now))
                RETURNING l.code, a.username, l.creator_device_id, l.expires_at,
                          l.claimed_device_key, l.claimed_device_name
                """, logger: logger)
            if let row = claimed.first { return try Self.decodeLinkCode(row) }
            guard try await Self.linkCode(code, now: now, db, logger: logger) != nil else {
                throw StoreError.notFound
            }
            throw StoreError.conflict
        }
    }

    public func linkCode(_ code: String, now: Date) async throws -> LinkCode? {
        try await read(.linkCode) { db in try await Self.linkCode(code, now: now, db, logger: logger) }
    }

    public func deleteLinkCode(_ code: String) async throws {
        try await transaction(.deleteLinkCode) { db in
            _ = try await db.rows("DELETE FROM link_codes WHERE code = \(code)", logger: logger)
        }
    }

    private static func linkCode(_ code: String, now: Date, _ db: any PostgresQueryable,
                                 logger: Logger) async throws -> LinkCode? {
        try await db.rows("""
            \(unescaped: selectLinkCode) WHERE l.code = \(code) AND l.expires_at > \(PostgresValue.date(now))
            """, logger: logger).first.map(decodeLinkCode)
    }

    private static func decodeLinkCode(_ row: PostgresRow) throws -> LinkCode {
        let (code, username, creator, expiresAt, claimedKey, claimedName) =
            try row.decode((String, String, Int64, Double, ByteBuffer?, String?).self)
        return LinkCode(code: code, username: username, creatorDevice: PostgresValue.id(creator),
                        expiresAt: PostgresValue.date(stored: expiresAt),
                        claimedDeviceKey: claimedKey.map { PostgresValue.bytes(stored: $0) },
                        claimedDeviceName: claimedName)
    }
}
