import GRDB

/// The versioned schema of the SQLite store (``SQLiteStore``).
///
/// Migrations only ever get appended: a shipped migration is never edited, so a database
/// created by any release can be brought forward by running the ones it has not seen.
enum SQLiteMigrator {
    /// Every migration, in the order they run.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial-schema", migrate: SQLiteInitialSchemaMigration.migrate)
        migrator.registerMigration("v2-delivery-service", migrate: SQLiteDeliveryServiceMigration.migrate)
        return migrator
    }

    /// Brings `writer` to the newest schema. Refuses a database written by a newer build,
    /// whose schema this build does not understand.
    static func migrate(_ writer: any DatabaseWriter) throws {
        let migrator = self.migrator
        let superseded = try writer.read { db in try migrator.hasBeenSuperseded(db) }
        if superseded {
            throw StoreError.unavailable("the database was migrated by a newer Tacit build")
        }
        try migrator.migrate(writer)
    }
}
