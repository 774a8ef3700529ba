import GRDB

/// The tables of `client.sqlite`, created by migrations so later versions can extend them.
enum LocalSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // One row: this device. The account columns stay NULL until register or link.
            try db.execute(sql: """
                CREATE TABLE device (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    private_key BLOB NOT NULL,
                    device_name TEXT NOT NULL,
                    username TEXT,
                    device_id INTEGER,
                    server_url TEXT,
                    server_key BLOB
                )
                """)
            // Messages the app has acknowledged, keyed the way senders make them unique.
            try db.execute(sql: """
                CREATE TABLE processed_message (
                    sender_device_id INTEGER NOT NULL,
                    client_message_id BLOB NOT NULL,
                    queue_id INTEGER NOT NULL,
                    processed_ms INTEGER NOT NULL,
                    PRIMARY KEY (sender_device_id, client_message_id)
                ) WITHOUT ROWID
                """)
            try db.execute(sql: "CREATE INDEX processed_message_by_time ON processed_message (processed_ms)")
        }
        migrator.registerMigration("v2-conversations") { db in
            try MessengerSchema.create(db)
        }
        migrator.registerMigration("v3-pending-uploads") { db in
            try MessengerSchema.addPendingUploads(db)
        }
        return migrator
    }
}
