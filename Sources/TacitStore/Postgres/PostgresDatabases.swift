import Logging
import PostgresNIO

/// Creating and dropping whole databases on a server (for set-up tools and for tests that
/// give every store a database of its own).
///
/// The statements run on a connection to `endpoint`'s own database (usually `postgres`),
/// whose user needs the `CREATEDB` privilege.
public enum PostgresDatabases {
    /// Why a database name was refused: only lower-case letters, digits and `_`, starting
    /// with a letter or `_`, at most 63 bytes (so PostgreSQL never truncates or case-folds it).
    public struct InvalidName: Error, Equatable, Sendable, CustomStringConvertible {
        public var name: String
        public var description: String { "'\(name)' is not a plain PostgreSQL database name" }
    }

    public static func create(_ name: String, on endpoint: PostgresEndpoint,
                              logger: Logger = Logger(label: "tacit.store")) async throws {
        try validate(name)
        try await run("CREATE DATABASE \"\(name)\"", on: endpoint, logger: logger)
    }

    /// Drops the database, closing any connection still open to it; a missing one is fine.
    public static func drop(_ name: String, on endpoint: PostgresEndpoint,
                            logger: Logger = Logger(label: "tacit.store")) async throws {
        try validate(name)
        try await run("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", on: endpoint, logger: logger)
    }

    /// Ends every session connected to the database (as a server restart would), for
    /// maintenance; returns how many there were.
    @discardableResult
    public static func disconnectAll(from name: String, on endpoint: PostgresEndpoint,
                                     logger: Logger = Logger(label: "tacit.store")) async throws -> Int {
        try validate(name)
        return try await PostgresDirectConnection.with(PostgresStore.Configuration(endpoint: endpoint, logger: logger)) {
            let rows = try await $0.rows("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = \(name) AND pid <> pg_backend_pid()
                """, logger: logger)
            return Int(try rows.first?.decode(Int64.self) ?? 0)
        }
    }

    /// Sets a database's default for a server setting (`ALTER DATABASE … SET`); both the
    /// setting's name and its value must be plain words. Sessions started later see it.
    static func setDefault(_ setting: String, to value: String, database name: String,
                           on endpoint: PostgresEndpoint, logger: Logger = Logger(label: "tacit.store")) async throws {
        try validate(name)
        try validate(setting)
        try validate(value)
        try await run("ALTER DATABASE \"\(name)\" SET \(setting) = \(value)", on: endpoint, logger: logger)
    }

    static func validate(_ name: String) throws {
        let utf8 = Array(name.utf8)
        guard let first = utf8.first, utf8.count <= 63,
              first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
              utf8.allSatisfy({ byte in
                  byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
              })
        else { throw InvalidName(name: name) }
    }

    /// Runs one statement outside any transaction (`CREATE DATABASE` refuses to run inside one).
    private static func run(_ sql: String, on endpoint: PostgresEndpoint, logger: Logger) async throws {
        try await PostgresDirectConnection.with(PostgresStore.Configuration(endpoint: endpoint, logger: logger)) {
            _ = try await $0.rows(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }
}
