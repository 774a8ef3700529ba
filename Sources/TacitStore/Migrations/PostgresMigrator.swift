import Logging
import PostgresNIO

/// One versioned step of the PostgreSQL schema: statements run in order, in one transaction.
struct PostgresMigration: Sendable {
    let version: Int32
    let name: String
    let statements: [String]
}

/// The versioned schema of the PostgreSQL store, recorded in `tacit_schema_migrations`.
///
/// Migrations only ever get appended: a shipped migration is never edited. Several server
/// nodes may start at once against one database, so the whole check-and-migrate runs in
/// one transaction that first takes a transaction-level advisory lock: the nodes migrate
/// one after another, and each later one finds the work done. PostgreSQL's DDL is
/// transactional, so a node that dies half-way leaves the schema as it was.
enum PostgresMigrator {
    /// Every migration, in the order they run.
    static let migrations: [PostgresMigration] = [
        PostgresInitialSchemaMigration.migration,
        PostgresDeliveryFunctionsMigration.migration,
        PostgresDeliveryServiceMigration.migration,
        PostgresBatchedAcknowledgementsMigration.migration,
    ]

    /// The advisory lock key ("tacit" and a 1); advisory locks are scoped to one database.
    static let lockKey: Int64 = 0x7461_6369_7400_0001

    /// Brings the database behind `connection` to the newest schema. Refuses a database
    /// migrated by a newer build, whose schema this build does not understand.
    static func migrate(_ connection: PostgresConnection, migrations: [PostgresMigration] = PostgresMigrator.migrations,
                        logger: Logger) async throws {
        try await PostgresTransaction.run(on: connection, logger: logger) { connection in
            _ = try await connection.rows("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            _ = try await connection.rows("""
                CREATE TABLE IF NOT EXISTS tacit_schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            let applied = Set(try await connection.rows("SELECT version FROM tacit_schema_migrations", logger: logger)
                .map { try $0.decode(Int32.self) })
            let known = Set(migrations.map(\.version))
            if let unknown = applied.subtracting(known).max() {
                throw StoreError.unavailable(
                    "the database was migrated by a newer Tacit build (schema version \(unknown))")
            }
            for migration in migrations where !applied.contains(migration.version) {
                logger.info("migrating the database", metadata: ["migration": "\(migration.name)"])
                for statement in migration.statements {
                    _ = try await connection.rows(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                _ = try await connection.rows("""
                    INSERT INTO tacit_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))
                    """, logger: logger)
            }
        }
    }
}
