import GRDB

/// The messenger's tables (migration "v2-conversations"). Every `sealed` column is AES-GCM
/// under the store key (see ``StoreSealer``); only ids, times and states are in the clear.
enum MessengerSchema {
    static func create(_ db: Database) throws {
        // One row per conversation; `sealed` holds the ConversationRecord (metadata, members).
        try db.execute(sql: """
            CREATE TABLE conversation (
                id BLOB PRIMARY KEY,
                status INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL,
                sealed BLOB NOT NULL
            ) WITHOUT ROWID
            """)
        // The MLS group state of each conversation (private keys, secret tree).
        try db.execute(sql: "CREATE TABLE mls_group (id BLOB PRIMARY KEY, sealed BLOB NOT NULL) WITHOUT ROWID")
        try db.execute(sql: """
            CREATE TABLE chat_message (
                conversation_id BLOB NOT NULL,
                id BLOB NOT NULL,
                server_ms INTEGER NOT NULL,
                expires_ms INTEGER,
                sealed BLOB NOT NULL,
                PRIMARY KEY (conversation_id, id)
            ) WITHOUT ROWID
            """)
        try db.execute(sql: "CREATE INDEX chat_message_by_time ON chat_message (conversation_id, server_ms)")
        try db.execute(sql: "CREATE INDEX chat_message_by_expiry ON chat_message (expires_ms) WHERE expires_ms IS NOT NULL")
        // Contacts and blocks, looked up by a keyed hash of the username.
        try db.execute(sql: "CREATE TABLE contact (lookup BLOB PRIMARY KEY, sealed BLOB NOT NULL) WITHOUT ROWID")
        // This device's KeyPackages with their private keys, until a Welcome uses them.
        try db.execute(sql: """
            CREATE TABLE key_package (
                ref BLOB PRIMARY KEY,
                last_resort INTEGER NOT NULL,
                created_ms INTEGER NOT NULL,
                sealed BLOB NOT NULL
            ) WITHOUT ROWID
            """)
        // Application messages encrypted but not yet accepted by the server.
        try db.execute(sql: """
            CREATE TABLE outbox (
                id BLOB PRIMARY KEY,
                created_ms INTEGER NOT NULL,
                sealed BLOB NOT NULL
            ) WITHOUT ROWID
            """)
        try db.execute(sql: "CREATE TABLE messenger_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
    }

    /// Migration "v3-pending-uploads": attachment uploads not yet sent in a message, so a
    /// send interrupted by the death of the process continues where the server stands.
    /// `lookup` is a keyed hash of the conversation and the file; `sealed` holds the
    /// ``PendingAttachmentUpload`` (its file key included).
    static func addPendingUploads(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE pending_upload (
                lookup BLOB PRIMARY KEY,
                created_ms INTEGER NOT NULL,
                sealed BLOB NOT NULL
            ) WITHOUT ROWID
            """)
    }
}
