import GRDB

/// A write that rides in a group-commit transaction with others.
enum BatchedWrite: Sendable {
    case enqueue(OutgoingMessage)
    case acknowledge(device: DeviceID, queueIDs: [QueueID])

    /// Applies the write inside the batch's transaction, in a savepoint of its own: if it
    /// fails with a ``StoreError`` only its own changes are undone, and the other writes of
    /// the batch go on. Any other error (a failing disk) aborts the whole transaction.
    func apply(_ db: Database) throws -> Result<BatchedWriteOutcome, StoreError> {
        var outcome = BatchedWriteOutcome.acknowledged(0)
        do {
            try db.inSavepoint {
                outcome = try perform(db)
                return .commit
            }
        } catch let error as StoreError {
            return .failure(error)
        }
        return .success(outcome)
    }

    private func perform(_ db: Database) throws -> BatchedWriteOutcome {
        switch self {
        case .enqueue(let message):
            return .enqueued(try EnqueueWrite.apply(message, db))
        case .acknowledge(let device, let queueIDs):
            guard let recipient = SQLiteInteger.storedID(device) else { return .acknowledged(0) }
            let ids = Set(queueIDs).compactMap(SQLiteInteger.storedID)
            return .acknowledged(try QueueQueries.acknowledge(recipient: recipient, queueIDs: ids, db))
        }
    }
}

/// What a ``BatchedWrite`` did, delivered to its caller once the batch committed.
enum BatchedWriteOutcome: Sendable, Equatable {
    case enqueued(EnqueueResult)
    case acknowledged(Int)
}
