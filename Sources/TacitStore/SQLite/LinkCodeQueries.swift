import Foundation
import GRDB

/// SQL for link codes.
enum LinkCodeQueries {
    /// The code if it exists and `now` is before its expiry.
    static func linkCode(_ code: String, now: Date, _ db: Database) throws -> LinkCode? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT l.code, a.username, l.creator_device_id, l.expires_at,
                   l.claimed_device_key, l.claimed_device_name
            FROM link_codes l JOIN accounts a ON a.id = l.account_id
            WHERE l.code = ? AND l.expires_at > ?
            """, arguments: [code, SQLiteDate.stored(now)]) else { return nil }
        let claimedKey: Data? = try row.decode(forColumn: "claimed_device_key")
        return LinkCode(code: try row.decode(forColumn: "code"),
                        username: try row.decode(forColumn: "username"),
                        creatorDevice: SQLiteInteger.id(try row.decode(forColumn: "creator_device_id")),
                        expiresAt: SQLiteDate.date(try row.decode(forColumn: "expires_at")),
                        claimedDeviceKey: claimedKey.map { [UInt8]($0) },
                        claimedDeviceName: try row.decode(forColumn: "claimed_device_name"))
    }
}
