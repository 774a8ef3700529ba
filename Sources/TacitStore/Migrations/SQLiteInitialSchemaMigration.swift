import GRDB

/// SQLite schema version 1: accounts, devices, device lists, link codes, messages and queues.
///
/// Dates are stored as `REAL` seconds since the reference date (2001-01-01), which is what
/// `Date` holds internally, so they read back bit for bit.
enum SQLiteInitialSchemaMigration {
    static func migrate(_ db: Database) throws {
        // Usernames arrive case-folded, so a plain unique index is enough.
        try db.execute(sql: """
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE
            );

            CREATE TABLE devices (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                identity_key BLOB NOT NULL UNIQUE,
                name TEXT NOT NULL,
                created_at REAL NOT NULL,
                revoked_at REAL
            );
            CREATE INDEX devices_by_account ON devices(account_id, created_at, id);

            CREATE TABLE device_lists (
                account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
                version INTEGER NOT NULL,
                signed_list BLOB NOT NULL
            );

            CREATE TABLE link_codes (
                code TEXT PRIMARY KEY NOT NULL,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                creator_device_id INTEGER NOT NULL REFERENCES devices(id),
                expires_at REAL NOT NULL,
                claimed_device_key BLOB,
                claimed_device_name TEXT
            );
            CREATE INDEX link_codes_by_creator ON link_codes(creator_device_id);
            CREATE INDEX link_codes_by_expiry ON link_codes(expires_at);

            -- One row per sent message. The body is stored once, however many devices it
            -- goes to, and set to NULL when the last queue entry is acknowledged; the row
            -- itself stays until expiry as the idempotency record for late retries.
            CREATE TABLE messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                sender_device_id INTEGER NOT NULL REFERENCES devices(id),
                client_message_id BLOB NOT NULL,
                body BLOB,
                received_at REAL NOT NULL,
                UNIQUE (sender_device_id, client_message_id)
            );
            CREATE INDEX messages_by_received_at ON messages(received_at);

            -- AUTOINCREMENT: queue ids are never reused, even after the newest entries are
            -- deleted, so a client's "after" cursor can never skip a new entry.
            CREATE TABLE queue_entries (
                queue_id INTEGER PRIMARY KEY AUTOINCREMENT,
                recipient_device_id INTEGER NOT NULL REFERENCES devices(id),
                message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE
            );
            CREATE INDEX queue_entries_by_recipient ON queue_entries(recipient_device_id, queue_id);
            CREATE INDEX queue_entries_by_message ON queue_entries(message_id);
            """)
    }
}
