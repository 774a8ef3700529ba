import Logging
import NIOCore
import PostgresNIO

/// A write that rides in a group-commit transaction with others.
enum PostgresBatchedWrite: Sendable {
    case enqueue(OutgoingMessage)
    case acknowledge(device: DeviceID, queueIDs: [QueueID])

    /// Applies a batch inside its transaction, in two round trips at most: every enqueue
    /// in arrival order (so queue ids follow it), then every acknowledgement (which only
    /// ever name entries committed before).
    ///
    /// A ``StoreError`` of one write is that write's result and changes nothing (the
    /// functions check before they write), so the other writes go on. Any other error
    /// aborts the whole transaction.
    static func apply(_ writes: [PostgresBatchedWrite], _ connection: PostgresConnection,
                      logger: Logger) async throws -> [Result<PostgresWriteOutcome, StoreError>] {
        var messages: [(index: Int, message: OutgoingMessage)] = []
        var acknowledgements: [(index: Int, device: DeviceID, queueIDs: [QueueID])] = []
        for (index, write) in writes.enumerated() {
            switch write {
            case .enqueue(let message): messages.append((index, message))
            case .acknowledge(let device, let queueIDs): acknowledgements.append((index, device, queueIDs))
            }
        }
        var outcomes = [Result<PostgresWriteOutcome, StoreError>?](repeating: nil, count: writes.count)
        let composite = messages.filter { $0.message.isComposite }
        let plain = messages.filter { !$0.message.isComposite }
        if !composite.isEmpty {
            // Every device row the batch needs, locked in one statement and in id order before
            // any group row: batches on other connections or nodes then take device locks
            // and group locks in the same order, and cannot deadlock.
            try await PostgresCompositeEnqueue.lockDevices(of: messages.map(\.message), connection, logger: logger)
        }
        let enqueued = try await enqueue(plain.map(\.message), connection, logger: logger)
        for (entry, outcome) in zip(plain, enqueued) {
            outcomes[entry.index] = outcome.map(PostgresWriteOutcome.enqueued)
        }
        // Claims take group rows in group id order (a stable sort keeps arrival order
        // within a group: the first claim of an epoch wins).
        let byGroup = composite.enumerated().sorted { lhs, rhs in
            let left = lhs.element.message.epochClaim?.groupID ?? []
            let right = rhs.element.message.epochClaim?.groupID ?? []
            return left.lexicographicallyPrecedes(right) || (left == right && lhs.offset < rhs.offset)
        }.map(\.element)
        for entry in byGroup {
            let outcome = try await PostgresCompositeEnqueue.enqueue(entry.message, connection, logger: logger)
            outcomes[entry.index] = outcome.map(PostgresWriteOutcome.enqueued)
        }
        let acknowledged = try await acknowledge(acknowledgements.map { ($0.device, $0.queueIDs) },
                                                 connection, logger: logger)
        for (entry, count) in zip(acknowledgements, acknowledged) {
            outcomes[entry.index] = .success(.acknowledged(count))
        }
        return try outcomes.map { outcome in
            guard let outcome else { throw StoreError.unavailable("a batched write got no result") }
            return outcome
        }
    }

    private static func enqueue(_ messages: [OutgoingMessage], _ connection: PostgresConnection,
                                logger: Logger) async throws -> [Result<EnqueueResult, StoreError>] {
        guard !messages.isEmpty else { return [] }
        let senders = messages.map { PostgresValue.idPattern($0.sender) }
        let clientMessageIDs = messages.map { PostgresValue.bytes($0.clientMessageID) }
        let recipients = messages.flatMap { $0.recipients.map(PostgresValue.idPattern) }
        let recipientCounts = messages.map { Int32(clamping: $0.recipients.count) }
        let bodies = messages.map { PostgresValue.bytes($0.body) }
        let receivedAt = messages.map { PostgresValue.date($0.receivedAt) }
        let rows = try await connection.rows("""
            SELECT ordinal, status, recipients, queue_ids, unknown_recipient
            FROM tacit_enqueue_batch(\(senders), \(clientMessageIDs), \(recipients), \(recipientCounts),
                                     \(bodies), \(receivedAt))
            """, logger: logger)
        guard rows.count == messages.count else {
            throw StoreError.unavailable("tacit_enqueue_batch returned \(rows.count) rows for \(messages.count) messages")
        }
        return try rows.map(decodeEnqueue)
    }

    private static func decodeEnqueue(_ row: PostgresRow) throws -> Result<EnqueueResult, StoreError> {
        let (_, status, entryRecipients, entryQueueIDs, unknownRecipient) =
            try row.decode((Int32, Int16, [Int64]?, [Int64]?, Int64?).self)
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
            guard let unknownRecipient else { throw StoreError.unavailable("tacit_enqueue named no recipient") }
            return .failure(.unknownRecipient(PostgresValue.id(unknownRecipient)))
        default:
            throw StoreError.unavailable("tacit_enqueue returned an unknown status \(status)")
        }
    }

    private static func acknowledge(_ acknowledgements: [(device: DeviceID, queueIDs: [QueueID])],
                                    _ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        guard !acknowledgements.isEmpty else { return [] }
        // An id beyond Int64.max names no stored device or entry, so it matches nothing.
        let devices = acknowledgements.map { PostgresValue.storedID($0.device) ?? -1 }
        let idLists = acknowledgements.map { Set($0.queueIDs).compactMap(PostgresValue.storedID) }
        let queueIDs = idLists.flatMap { $0 }
        let counts = idLists.map { Int32(clamping: $0.count) }
        let rows = try await connection.rows("""
            SELECT ordinal, acknowledged FROM tacit_acknowledge_batch(\(devices), \(queueIDs), \(counts))
            """, logger: logger)
        guard rows.count == acknowledgements.count else {
            throw StoreError.unavailable("tacit_acknowledge_batch returned \(rows.count) rows")
        }
        return try rows.map { Int(try $0.decode((Int32, Int32).self).1) }
    }
}

/// What a ``PostgresBatchedWrite`` did, delivered to its caller once the batch committed.
enum PostgresWriteOutcome: Sendable, Equatable {
    case enqueued(EnqueueResult)
    case acknowledged(Int)
}
