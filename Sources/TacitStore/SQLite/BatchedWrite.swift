import GRDB

/// A write that rides in a group-commit transaction with others.
enum BatchedWrite: Sendable {
    case enqueue(OutgoingMessage)
    case acknowledge(device: DeviceID, queueIDs: [QueueID])

    /// Applies the write inside the batch's transaction. An enqueue runs in a savepoint of
    /// its own: if it fails with a ``StoreError`` only its own changes are undone, and the
    /// other writes of the batch go on. Any other error (a failing disk) aborts the whole
    /// transaction.
    ///
    /// An acknowledgement only deletes entries (it cannot fail half-way), so it needs no
    /// savepoint; the messages whose entries it deleted go into `released`, and the batch
    /// drops the bodies nobody waits for any more once, after all its writes (a group
    /// message acknowledged by a thousand members in one batch is checked once, not a
    /// thousand times).
    func apply(_ db: Database, released: inout Set<Int64>) throws -> Result<BatchedWriteOutcome, StoreError> {
        switch self {
        case .enqueue(let message):
            var outcome = BatchedWriteOutcome.acknowledged(0)
            do {
                try db.inSavepoint {
                    outcome = .enqueued(try EnqueueWrite.apply(message, db))
                    return .commit
                }
            } catch let error as StoreError {
                return .failure(error)
            }
            return .success(outcome)
        case .acknowledge(let device, let queueIDs):
            guard let recipient = SQLiteInteger.storedID(device) else { return .success(.acknowledged(0)) }
            let ids = Set(queueIDs).compactMap(SQLiteInteger.storedID)
            let deleted = try QueueQueries.deleteEntries(recipient: recipient, queueIDs: ids, db)
            released.formUnion(deleted.messages)
            return .success(.acknowledged(deleted.count))
        }
    }
}

/// What a ``BatchedWrite`` did, delivered to its caller once the batch committed.
enum BatchedWriteOutcome: Sendable, Equatable {
    case enqueued(EnqueueResult)
    case acknowledged(Int)
}
