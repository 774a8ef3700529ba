import Foundation
import GRDB

/// SQL for the per-group epoch records behind "one commit per epoch".
enum EpochQueries {
    /// Checks `claim` against the group's record and, if it wins, moves the group to the
    /// next epoch (creating the record for a claim of epoch 0 on an unknown group).
    ///
    /// Throws ``StoreError/unknownGroup``, ``StoreError/staleEpoch(current:)`` or
    /// ``StoreError/epochTokenMismatch`` having written nothing.
    static func advance(_ claim: GroupEpochClaim, now: Date, _ db: Database) throws {
        guard let next = claim.nextEpoch else {
            throw StoreError.invalidRequest("epoch \(claim.epoch) has no next epoch")
        }
        let groupID = SQLiteBlob.value(claim.groupID)
        let row = try Row.fetchOne(db, sql: """
            SELECT epoch, token_hash FROM group_epochs WHERE group_id = \(SQLiteBlob.parameter)
            """, arguments: [groupID])
        guard let row else {
            guard claim.epoch == 0 else { throw StoreError.unknownGroup }
            try db.execute(sql: """
                INSERT INTO group_epochs (group_id, epoch, token_hash, updated_at)
                VALUES (\(SQLiteBlob.parameter), ?, \(SQLiteBlob.parameter), ?)
                """, arguments: [groupID, SQLiteInteger.version(next), SQLiteBlob.value(claim.nextTokenHash),
                                 SQLiteDate.stored(now)])
            return
        }
        let current = SQLiteInteger.version(stored: try row.decode(forColumn: "epoch"))
        guard current == claim.epoch else { throw StoreError.staleEpoch(current: current) }
        let storedHash = SQLiteBlob.bytes(try row.decode(forColumn: "token_hash"))
        guard storedHash == claim.tokenHash else { throw StoreError.epochTokenMismatch }
        try db.execute(sql: """
            UPDATE group_epochs SET epoch = ?, token_hash = \(SQLiteBlob.parameter), updated_at = ?
            WHERE group_id = \(SQLiteBlob.parameter)
            """, arguments: [SQLiteInteger.version(next), SQLiteBlob.value(claim.nextTokenHash),
                             SQLiteDate.stored(now), groupID])
    }
}
