import Foundation
import GRDB

/// Stores one message inside a group-commit transaction.
enum EnqueueWrite {
    /// Stores `message` (every part of it) for each of its recipients, or finds the
    /// earlier copy of it.
    ///
    /// Everything is checked before anything is written, so a failure leaves no trace:
    /// - the same sender and client message id seen before: the entries of that first copy
    ///   still queued, `duplicate == true`, nothing new stored, no epoch check;
    /// - an unknown or revoked sender: ``StoreError/notFound``;
    /// - an unknown or revoked recipient of any part: ``StoreError/unknownRecipient(_:)``;
    /// - an epoch claim that loses: see ``EpochQueries/advance(_:now:_:)``.
    ///
    /// Writes of a batch run one after another in one transaction, so of two claims for
    /// one group and epoch in a batch the second sees the first one's new epoch.
    static func apply(_ message: OutgoingMessage, _ db: Database) throws -> EnqueueResult {
        guard let sender = SQLiteInteger.storedID(message.sender) else { throw StoreError.notFound }
        let clientMessageID = SQLiteBlob.value(message.clientMessageID)

        let findEarlier = try db.cachedStatement(sql: """
            SELECT id FROM messages WHERE sender_device_id = ? AND client_message_id = \(SQLiteBlob.parameter)
            """)
        if let earlier = try Int64.fetchOne(findEarlier, arguments: [sender, clientMessageID]) {
            return EnqueueResult(entries: try QueueQueries.entries(ofMessage: earlier, db), duplicate: true)
        }

        try message.checkParts()
        guard try DeviceQueries.isActive(sender, db) else { throw StoreError.notFound }
        let parts = message.parts
        let recipients = try parts.map { try activeRecipients($0.recipients, db) }
        if let claim = message.epochClaim {
            try EpochQueries.advance(claim, now: message.receivedAt, db)
        }

        // A message nobody receives keeps only its idempotency record.
        let insertMessage = try db.cachedStatement(sql: """
            INSERT INTO messages (sender_device_id, client_message_id, body, received_at)
            VALUES (?, \(SQLiteBlob.parameter), CASE WHEN ? THEN \(SQLiteBlob.parameter) END, ?)
            """)
        try insertMessage.execute(arguments: [sender, clientMessageID, !recipients[0].isEmpty,
                                              SQLiteBlob.value(message.body),
                                              SQLiteDate.stored(message.receivedAt)])
        let messageID = db.lastInsertedRowID

        var entries: [DeviceID: QueueID] = [:]
        for (part, partRecipients) in recipients.enumerated() where !partRecipients.isEmpty {
            if part > 0 {
                try db.execute(sql: """
                    INSERT INTO message_parts (message_id, part, body) VALUES (?, ?, \(SQLiteBlob.parameter))
                    """, arguments: [messageID, part, SQLiteBlob.value(parts[part].body)])
            }
            let insertEntry = try db.cachedStatement(sql: """
                INSERT INTO queue_entries (recipient_device_id, message_id, part) VALUES (?, ?, ?)
                """)
            for recipient in partRecipients {
                try insertEntry.execute(arguments: [recipient, messageID, part])
                entries[SQLiteInteger.id(recipient)] = SQLiteInteger.id(db.lastInsertedRowID)
            }
        }
        return EnqueueResult(entries: entries, duplicate: false)
    }

    /// The recipients in the order given, each once; throws for the first one that is not
    /// a live device.
    private static func activeRecipients(_ recipients: [DeviceID], _ db: Database) throws -> [Int64] {
        var seen = Set<DeviceID>()
        var result: [Int64] = []
        result.reserveCapacity(recipients.count)
        for recipient in recipients where seen.insert(recipient).inserted {
            guard let stored = SQLiteInteger.storedID(recipient), try DeviceQueries.isActive(stored, db) else {
                throw StoreError.unknownRecipient(recipient)
            }
            result.append(stored)
        }
        return result
    }
}
