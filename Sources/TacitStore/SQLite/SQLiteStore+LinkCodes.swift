import Foundation
import GRDB

extension SQLiteStore {
    public func createLinkCode(_ code: LinkCode) async throws {
        try await write(.createLinkCode) { db in
            // The creator must be a live device of the account the code joins.
            guard let creator = SQLiteInteger.storedID(code.creatorDevice),
                  let accountID = try DeviceQueries.accountID(username: code.username, db),
                  try Int64.fetchOne(db, sql: """
                      SELECT 1 FROM devices WHERE id = ? AND account_id = ? AND revoked_at IS NULL
                      """, arguments: [creator, accountID]) != nil
            else { throw StoreError.notFound }
            do {
                try db.execute(sql: """
                    INSERT INTO link_codes (code, account_id, creator_device_id, expires_at,
                                            claimed_device_key, claimed_device_name)
                    VALUES (?, ?, ?, ?, CASE WHEN ? THEN \(SQLiteBlob.parameter) END, ?)
                    """, arguments: [code.code, accountID, creator, SQLiteDate.stored(code.expiresAt),
                                     code.claimedDeviceKey != nil,
                                     SQLiteBlob.value(code.claimedDeviceKey ?? []), code.claimedDeviceName])
            } catch let error where SQLiteErrorMapping.isUniqueViolation(error) {
                throw StoreError.conflict
            }
        }
    }

    public func claimLinkCode(_ code: String, deviceKey: [UInt8], deviceName: String,
                              now: Date) async throws -> LinkCode {
        try await write(.claimLinkCode) { db in
            guard var linkCode = try LinkCodeQueries.linkCode(code, now: now, db) else {
                throw StoreError.notFound
            }
            guard linkCode.claimedDeviceKey == nil else { throw StoreError.conflict }
            try db.execute(sql: """
                UPDATE link_codes SET claimed_device_key = \(SQLiteBlob.parameter), claimed_device_name = ?
                WHERE code = ? AND claimed_device_key IS NULL
                """, arguments: [SQLiteBlob.value(deviceKey), deviceName, code])
            if db.changesCount == 0 { throw StoreError.conflict }
            linkCode.claimedDeviceKey = deviceKey
            linkCode.claimedDeviceName = deviceName
            return linkCode
        }
    }

    public func linkCode(_ code: String, now: Date) async throws -> LinkCode? {
        try await read(.linkCode) { db in try LinkCodeQueries.linkCode(code, now: now, db) }
    }

    public func deleteLinkCode(_ code: String) async throws {
        try await write(.deleteLinkCode) { db in
            try db.execute(sql: "DELETE FROM link_codes WHERE code = ?", arguments: [code])
        }
    }
}
