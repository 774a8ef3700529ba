import GRDB

/// Turns what SQLite throws into the store's typed errors.
enum SQLiteErrorMapping {
    /// Result codes that say "the database cannot serve right now", not "this request is
    /// wrong": the caller may retry later.
    private static let transientCodes: Set<Int32> = [
        ResultCode.SQLITE_BUSY.rawValue,
        ResultCode.SQLITE_LOCKED.rawValue,
        ResultCode.SQLITE_NOMEM.rawValue,
        ResultCode.SQLITE_READONLY.rawValue,
        ResultCode.SQLITE_INTERRUPT.rawValue,
        ResultCode.SQLITE_IOERR.rawValue,
        ResultCode.SQLITE_CORRUPT.rawValue,
        ResultCode.SQLITE_FULL.rawValue,
        ResultCode.SQLITE_CANTOPEN.rawValue,
        ResultCode.SQLITE_PROTOCOL.rawValue,
    ]

    /// `StoreError`s pass through; transient SQLite failures become
    /// ``StoreError/unavailable(_:)``; anything else is an internal error and kept as is.
    static func map(_ error: any Error) -> any Error {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError, transientCodes.contains(error.resultCode.rawValue) {
            return StoreError.unavailable("sqlite: \(error.message ?? error.resultCode.description)")
        }
        return error
    }

    /// Whether a unique or primary key constraint failed (a lost race on a unique value).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }
}
