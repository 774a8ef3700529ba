/// PostgreSQL schema version 3: the MLS delivery service, in the tables of the SQLite
/// store's version 2 (see ``SQLiteDeliveryServiceMigration``), and the functions that use them.
///
/// - `tacit_enqueue_parts` stores a message with dispatches and an optional epoch claim.
///   Like `tacit_enqueue` it locks the sender's and recipients' device rows in id order,
///   checks everything, then writes; failures are statuses (see below), so the batch's
///   other writes go on. An epoch claim locks its group's row (`FOR UPDATE`) before
///   comparing, so of concurrent claims for one epoch (on any node) the later ones wait
///   for the first to commit and then see the epoch it moved to. Two first claims of an
///   unknown group race on the primary key: `ON CONFLICT DO NOTHING` waits for the other
///   insert, and the loser reads the winner's epoch.
///   Statuses: 0 stored, 1 duplicate, 2 unknown sender, 3 unknown recipient, 4 stale
///   epoch (with `current_epoch`), 5 token mismatch, 6 unknown group.
/// - `tacit_release_bodies` now also deletes dispatch bodies no entry needs.
enum PostgresDeliveryServiceMigration {
    static let migration = PostgresMigration(version: 3, name: "v3-delivery-service", statements: [
        "ALTER TABLE queue_entries ADD COLUMN part integer NOT NULL DEFAULT 0",
        """
        CREATE TABLE message_parts (
            message_id bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            part integer NOT NULL,
            body bytea NOT NULL,
            PRIMARY KEY (message_id, part)
        )
        """,
        """
        CREATE TABLE group_epochs (
            group_id bytea PRIMARY KEY,
            epoch bigint NOT NULL,
            token_hash bytea NOT NULL,
            updated_at double precision NOT NULL
        )
        """,
        """
        CREATE TABLE key_packages (
            id bigserial PRIMARY KEY,
            device_id bigint NOT NULL REFERENCES devices(id),
            package bytea NOT NULL,
            published_at double precision NOT NULL
        )
        """,
        "CREATE INDEX key_packages_by_device ON key_packages (device_id, id)",
        """
        CREATE TABLE last_resort_key_packages (
            device_id bigint PRIMARY KEY REFERENCES devices(id),
            package bytea NOT NULL,
            published_at double precision NOT NULL
        )
        """,
        """
        CREATE OR REPLACE FUNCTION tacit_release_bodies(p_messages bigint[]) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM messages WHERE id = ANY(p_messages) ORDER BY id FOR NO KEY UPDATE;
            UPDATE messages m SET body = NULL
            WHERE m.id = ANY(p_messages) AND m.body IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM queue_entries q WHERE q.message_id = m.id AND q.part = 0);
            DELETE FROM message_parts p
            WHERE p.message_id = ANY(p_messages)
              AND NOT EXISTS (SELECT 1 FROM queue_entries q WHERE q.message_id = p.message_id AND q.part = p.part);
        END
        $$
        """,
        // Part i (1-based here, stored as i - 1) goes to p_part_counts[i] recipients, the
        // next ones in p_recipients, and has body p_bodies[i].
        """
        CREATE FUNCTION tacit_enqueue_parts(p_sender bigint, p_client_message_id bytea, p_received_at double precision,
                                            p_recipients bigint[], p_part_counts integer[], p_bodies bytea[],
                                            p_claimed boolean, p_group_id bytea, p_epoch bigint, p_next_epoch bigint,
                                            p_token_hash bytea, p_next_token_hash bytea)
        RETURNS TABLE (status smallint, recipients bigint[], queue_ids bigint[], unknown_recipient bigint,
                       current_epoch bigint)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
            v_message bigint;
            v_unknown bigint;
            v_epoch bigint;
            v_hash bytea;
            v_offset integer := 0;
            v_count integer;
            v_part_recipients bigint[];
        BEGIN
            PERFORM 1 FROM devices
            WHERE id = ANY(array_append(p_recipients, p_sender))
            ORDER BY id FOR NO KEY UPDATE;

            SELECT id INTO v_message FROM messages
            WHERE sender_device_id = p_sender AND client_message_id = p_client_message_id;
            IF FOUND THEN
                RETURN QUERY
                SELECT 1::smallint, array_agg(q.recipient_device_id ORDER BY q.queue_id),
                       array_agg(q.queue_id ORDER BY q.queue_id), NULL::bigint, NULL::bigint
                FROM queue_entries q WHERE q.message_id = v_message;
                RETURN;
            END IF;

            IF NOT EXISTS (SELECT 1 FROM devices WHERE id = p_sender AND revoked_at IS NULL) THEN
                RETURN QUERY SELECT 2::smallint, NULL::bigint[], NULL::bigint[], NULL::bigint, NULL::bigint;
                RETURN;
            END IF;

            SELECT given.r INTO v_unknown
            FROM unnest(p_recipients) WITH ORDINALITY AS given(r, ord)
            WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = given.r AND d.revoked_at IS NULL)
            ORDER BY given.ord LIMIT 1;
            IF FOUND THEN
                RETURN QUERY SELECT 3::smallint, NULL::bigint[], NULL::bigint[], v_unknown, NULL::bigint;
                RETURN;
            END IF;

            IF p_claimed THEN
                SELECT g.epoch, g.token_hash INTO v_epoch, v_hash FROM group_epochs g
                WHERE g.group_id = p_group_id FOR UPDATE;
                IF NOT FOUND THEN
                    IF p_epoch <> 0 THEN
                        RETURN QUERY SELECT 6::smallint, NULL::bigint[], NULL::bigint[], NULL::bigint, NULL::bigint;
                        RETURN;
                    END IF;
                    INSERT INTO group_epochs (group_id, epoch, token_hash, updated_at)
                    VALUES (p_group_id, p_next_epoch, p_next_token_hash, p_received_at)
                    ON CONFLICT (group_id) DO NOTHING;
                    IF NOT FOUND THEN
                        SELECT g.epoch INTO v_epoch FROM group_epochs g WHERE g.group_id = p_group_id;
                        RETURN QUERY SELECT 4::smallint, NULL::bigint[], NULL::bigint[], NULL::bigint, v_epoch;
                        RETURN;
                    END IF;
                ELSIF v_epoch <> p_epoch THEN
                    RETURN QUERY SELECT 4::smallint, NULL::bigint[], NULL::bigint[], NULL::bigint, v_epoch;
                    RETURN;
                ELSIF v_hash <> p_token_hash THEN
                    RETURN QUERY SELECT 5::smallint, NULL::bigint[], NULL::bigint[], NULL::bigint, NULL::bigint;
                    RETURN;
                ELSE
                    UPDATE group_epochs g SET epoch = p_next_epoch, token_hash = p_next_token_hash,
                                              updated_at = p_received_at
                    WHERE g.group_id = p_group_id;
                END IF;
            END IF;

            -- A message nobody receives keeps only its idempotency record.
            INSERT INTO messages (sender_device_id, client_message_id, body, received_at)
            VALUES (p_sender, p_client_message_id,
                    CASE WHEN p_part_counts[1] > 0 THEN p_bodies[1] END, p_received_at)
            RETURNING id INTO v_message;

            FOR i IN 1 .. cardinality(p_part_counts) LOOP
                v_count := p_part_counts[i];
                v_part_recipients := coalesce(p_recipients[v_offset + 1 : v_offset + v_count], '{}');
                v_offset := v_offset + v_count;
                CONTINUE WHEN v_count = 0;
                IF i > 1 THEN
                    INSERT INTO message_parts (message_id, part, body) VALUES (v_message, i - 1, p_bodies[i]);
                END IF;
                INSERT INTO queue_entries (recipient_device_id, message_id, part)
                SELECT given.r, v_message, i - 1
                FROM unnest(v_part_recipients) WITH ORDINALITY AS given(r, ord)
                ORDER BY given.ord;
            END LOOP;

            RETURN QUERY
            SELECT 0::smallint, array_agg(q.recipient_device_id ORDER BY q.queue_id),
                   array_agg(q.queue_id ORDER BY q.queue_id), NULL::bigint, NULL::bigint
            FROM queue_entries q WHERE q.message_id = v_message;
        END
        $$
        """,
    ])
}
