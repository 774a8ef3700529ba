import GRDB

/// SQLite schema version 2: the MLS delivery service.
///
/// - `queue_entries.part` says which body of a message an entry delivers: 0 is the
///   message's own body, 1… the dispatches stored with it in `message_parts` (each body
///   stored once, however many devices it goes to, and deleted once no entry needs it).
/// - `group_epochs` holds, per group id, only the current epoch, the SHA-256 of its token
///   and when it changed: enough to accept exactly one commit per epoch.
/// - `key_packages` holds one-time KeyPackages (claimed oldest first, deleted when
///   claimed); `last_resort_key_packages` one per device, kept when handed out.
enum SQLiteDeliveryServiceMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE queue_entries ADD COLUMN part INTEGER NOT NULL DEFAULT 0;

            CREATE TABLE message_parts (
                message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                part INTEGER NOT NULL,
                body BLOB NOT NULL,
                PRIMARY KEY (message_id, part)
            ) WITHOUT ROWID;

            CREATE TABLE group_epochs (
                group_id BLOB PRIMARY KEY NOT NULL,
                epoch INTEGER NOT NULL,
                token_hash BLOB NOT NULL,
                updated_at REAL NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE key_packages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                device_id INTEGER NOT NULL REFERENCES devices(id),
                package BLOB NOT NULL,
                published_at REAL NOT NULL
            );
            CREATE INDEX key_packages_by_device ON key_packages(device_id, id);

            CREATE TABLE last_resort_key_packages (
                device_id INTEGER PRIMARY KEY REFERENCES devices(id),
                package BLOB NOT NULL,
                published_at REAL NOT NULL
            );
            """)
    }
}
