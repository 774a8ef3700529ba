import Logging
import NIOCore
import PostgresNIO

/// Enqueues of messages with an epoch claim or dispatches, through `tacit_enqueue_parts`
/// (see ``PostgresDeliveryServiceMigration``): one round trip each, inside a group commit.
enum PostgresCompositeEnqueue {
    /// Locks the device rows of every sender and recipient of `messages`, in id order.
    static func lockDevices(of messages: [OutgoingMessage], _ connection: PostgresConnection,
                            logger: Logger) async throws {
        var ids = Set<Int64>()
        for message in messages {
            ids.insert(PostgresValue.idPattern(message.sender))
            for part in message.parts { ids.formUnion(part.recipients.map(PostgresValue.idPattern)) }
        }
        let sorted = ids.sorted()
        _ = try await connection.rows("""
            SELECT id FROM devices WHERE id = ANY(\(sorted)) ORDER BY id FOR NO KEY UPDATE
            """, logger: logger)
    }

    static func enqueue(_ message: OutgoingMessage, _ connection: PostgresConnection,
                        logger: Logger) async throws -> Result<EnqueueResult, StoreError> {
        do {
            try message.checkParts()
        } catch {
            return .failure(error)
        }
        let parts = message.parts.map { part in
            var seen = Set<DeviceID>()
            return (recipients: part.recipients.filter { seen.insert($0).inserted }.map(PostgresValue.idPattern),
                    body: part.body)
        }
        let recipients = parts.flatMap(\.recipients)
        let counts = parts.map { Int32(clamping: $0.recipients.count) }
        let bodies = parts.map { PostgresValue.bytes($0.body) }
        let claim = message.epochClaim
        let epoch = PostgresValue.version(claim?.epoch ?? 0)
        let nextEpoch = PostgresValue.version(claim?.nextEpoch ?? 0)
        let rows = try await connection.rows("""
            SELECT status, recipients, queue_ids, unknown_recipient, current_epoch
            FROM tacit_enqueue_parts(\(PostgresValue.idPattern(message.sender)),
                                     \(PostgresValue.bytes(message.clientMessageID)),
                                     \(PostgresValue.date(message.receivedAt)),
                                     \(recipients), \(counts), \(bodies),
                                     \(claim != nil), \(PostgresValue.bytes(claim?.groupID ?? [])),
                                     \(epoch), \(nextEpoch),
                                     \(PostgresValue.bytes(claim?.tokenHash ?? [])),
                                     \(PostgresValue.bytes(claim?.nextTokenHash ?? [])))
            """, logger: logger)
        guard let row = rows.first, rows.count == 1 else {
            throw StoreError.unavailable("tacit_enqueue_parts returned \(rows.count) rows")
        }
        let (status, entryRecipients, entryQueueIDs, unknownRecipient, currentEpoch) =
            try row.decode((Int16, [Int64]?, [Int64]?, Int64?, Int64?).self)
        switch status {
        case 0, 1:
            var entries: [DeviceID: QueueID] = [:]
            for (recipient, queueID) in zip(entryRecipients ?? [], entryQueueIDs ?? []) {
                entries[PostgresValue.id(recipient)] = PostgresValue.id(queueID)
            }
            return .success(EnqueueResult(entries: entries, duplicate: status == 1))
        case 2:
            return .failure(.notFound)
        case 3:
            guard let unknownRecipient else { throw StoreError.unavailable("tacit_enqueue_parts named no recipient") }
            return .failure(.unknownRecipient(PostgresValue.id(unknownRecipient)))
        case 4:
            guard let currentEpoch else { throw StoreError.unavailable("tacit_enqueue_parts named no epoch") }
            return .failure(.staleEpoch(current: PostgresValue.version(stored: currentEpoch)))
        case 5:
            return .failure(.epochTokenMismatch)
        case 6:
            return .failure(.unknownGroup)
        default:
            throw StoreError.unavailable("tacit_enqueue_parts returned an unknown status \(status)")
        }
    }
}
