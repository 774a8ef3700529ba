/// PostgreSQL schema version 1: the tables of the SQLite store's first schema, in
/// PostgreSQL's types.
///
/// Dates are `double precision` seconds since the reference date (2001-01-01), which is
/// what `Date` holds, so they read back bit for bit. Ids come from `bigserial` sequences,
/// which never hand out a number twice (not even after a rollback), so a client's "after"
/// cursor can never skip a new queue entry because an id was reused.
enum PostgresInitialSchemaMigration {
    static let migration = PostgresMigration(version: 1, name: "v1-initial-schema", statements: [
        // Usernames arrive case-folded, so a plain unique constraint is enough.
        """
        CREATE TABLE accounts (
            id bigserial PRIMARY KEY,
            username text NOT NULL CONSTRAINT accounts_username_key UNIQUE
        )
        """,
        """
        CREATE TABLE devices (
            id bigserial PRIMARY KEY,
            account_id bigint NOT NULL REFERENCES accounts(id),
            identity_key bytea NOT NULL CONSTRAINT devices_identity_key_key UNIQUE,
            name text NOT NULL,
            created_at double precision NOT NULL,
            revoked_at double precision
        )
        """,
        "CREATE INDEX devices_by_account ON devices (account_id, created_at, id)",
        """
        CREATE TABLE device_lists (
            account_id bigint PRIMARY KEY REFERENCES accounts(id),
            version bigint NOT NULL,
            signed_list bytea NOT NULL
        )
        """,
        """
        CREATE TABLE link_codes (
            code text PRIMARY KEY,
            account_id bigint NOT NULL REFERENCES accounts(id),
            creator_device_id bigint NOT NULL REFERENCES devices(id),
            expires_at double precision NOT NULL,
            claimed_device_key bytea,
            claimed_device_name text
        )
        """,
        "CREATE INDEX link_codes_by_creator ON link_codes (creator_device_id)",
        "CREATE INDEX link_codes_by_expiry ON link_codes (expires_at)",
        // One row per sent message. The body is stored once, however many devices it goes
        // to, and set to NULL when the last queue entry is acknowledged; the row itself
        // stays until expiry as the idempotency record for late retries.
        """
        CREATE TABLE messages (
            id bigserial PRIMARY KEY,
            sender_device_id bigint NOT NULL REFERENCES devices(id),
            client_message_id bytea NOT NULL,
            body bytea,
            received_at double precision NOT NULL,
            CONSTRAINT messages_sender_client_id_key UNIQUE (sender_device_id, client_message_id)
        )
        """,
        "CREATE INDEX messages_by_received_at ON messages (received_at)",
        """
        CREATE TABLE queue_entries (
            queue_id bigserial PRIMARY KEY,
            recipient_device_id bigint NOT NULL REFERENCES devices(id),
            message_id bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE
        )
        """,
        "CREATE INDEX queue_entries_by_recipient ON queue_entries (recipient_device_id, queue_id)",
        "CREATE INDEX queue_entries_by_message ON queue_entries (message_id)",
    ])
}
