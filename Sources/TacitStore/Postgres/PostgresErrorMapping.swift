import NIOCore
import PostgresNIO

/// Turns what postgres-nio throws into the store's typed errors.
enum PostgresErrorMapping {
    /// SQLSTATE classes that say "the database cannot serve right now" rather than "this
    /// request is wrong": connection exceptions, insufficient resources (too many
    /// connections, disk full), operator intervention (shutdown, recovery), system errors,
    /// and authorization failures (a misconfigured or rotated password).
    private static let transientClasses: Set<Substring> = ["08", "28", "53", "57", "58"]

    /// Single SQLSTATEs that are transient: a read-only transaction (the primary failed
    /// over), a missing database, a lock that could not be had, and the two aborts a
    /// transaction may simply be run again after.
    private static let transientStates: Set<String> = ["25006", "3D000", "55P03", serializationFailure, deadlock]

    static let serializationFailure = "40001"
    static let deadlock = "40P01"

    /// postgres-nio's failures to reach, talk to or keep a server.
    private static let connectionCodes: Set<PSQLError.Code> = [
        .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
        .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest,
        .messageDecodingFailure, .unexpectedBackendMessage, .queryCancelled,
    ]

    /// `StoreError`s pass through; failures to reach the database or transient server
    /// errors become ``StoreError/unavailable(_:)``; anything else (a bug, such as bad SQL)
    /// is an internal error and kept as is.
    static func map(_ error: any Error) -> any Error {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError {
            if let state = sqlState(of: error) {
                if transientStates.contains(state) || transientClasses.contains(state.prefix(2)) {
                    return StoreError.unavailable("postgres: \(message(of: error)) (\(state))")
                }
                return error
            }
            if connectionCodes.contains(error.code) {
                return StoreError.unavailable("postgres: \(error.code)")
            }
            return error
        }
        if error is NIOConnectionError || error is ChannelError || error is IOError {
            return StoreError.unavailable("postgres: \(error)")
        }
        // The pool's "could not connect for a long time" error has no public type to match.
        if String(describing: type(of: error)) == "ConnectionPoolError" {
            return StoreError.unavailable("postgres: no connection to the database (\(error))")
        }
        return error
    }

    static func sqlState(of error: any Error) -> String? {
        guard let error = error as? PSQLError, error.code == .server else { return nil }
        return error.serverInfo?[.sqlState]
    }

    /// Whether PostgreSQL aborted the transaction as a whole and running it again may succeed.
    static func isRetryableAbort(_ error: any Error) -> Bool {
        let state = sqlState(of: error)
        return state == serializationFailure || state == deadlock
    }

    /// A description for logs: the SQLSTATE and server message of a PostgreSQL error
    /// (postgres-nio's own description hides both), never the query's parameters.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        guard let state = sqlState(of: error) else { return "PSQLError(\(error.code))" }
        return "PSQLError(\(state): \(message(of: error)))"
    }

    private static func message(of error: PSQLError) -> String {
        error.serverInfo?[.message] ?? "\(error.code)"
    }
}
