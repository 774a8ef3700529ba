/// PostgreSQL schema version 2: enqueue and acknowledge as server-side functions, so that
/// a whole group-commit batch of them costs one round trip instead of four or five each.
///
/// They run under READ COMMITTED, where every statement of a function sees what other
/// transactions committed before it started. The functions rely on that twice:
///
/// - **Queue ids in commit order.** `tacit_enqueue` first locks the rows of the sender and
///   every recipient device, in id order (so two enqueues cannot deadlock), and draws queue
///   ids only then. Enqueues to one device therefore commit one after another in the order
///   of their ids, and a device reading its queue with an "after" cursor can never see a
///   newer entry before an older one commits. (A plain sequence gives no such guarantee
///   across concurrent transactions; several server nodes rely on this.) The lock also
///   orders an enqueue against revoking a recipient: the enqueue either commits first
///   and its entry is dropped with the queue, or it sees the device revoked.
/// - **Bodies released exactly.** `tacit_release_bodies` locks a message row before
///   checking whether any entry still points at it, so of two devices acknowledging the
///   last two entries at once, the second to get the lock sees the first one's delete.
///
/// Failures are results, not exceptions: `tacit_enqueue` checks everything before it writes,
/// and reports a duplicate (1), an unknown or revoked sender (2) or recipient (3) in
/// `status`, leaving the transaction usable for the other writes of its batch.
enum PostgresDeliveryFunctionsMigration {
    static let migration = PostgresMigration(version: 2, name: "v2-delivery-functions", statements: [
        """
        CREATE FUNCTION tacit_release_bodies(p_messages bigint[]) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM messages
            WHERE id = ANY(p_messages) AND body IS NOT NULL
            ORDER BY id FOR NO KEY UPDATE;
            UPDATE messages m SET body = NULL
            WHERE m.id = ANY(p_messages) AND m.body IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM queue_entries q WHERE q.message_id = m.id);
        END
        $$
        """,
        """
        CREATE FUNCTION tacit_acknowledge(p_recipient bigint, p_queue_ids bigint[]) RETURNS integer
        LANGUAGE plpgsql AS $$
        DECLARE
            v_count integer;
            v_messages bigint[];
        BEGIN
            WITH gone AS (
                DELETE FROM queue_entries
                WHERE recipient_device_id = p_recipient AND queue_id = ANY(p_queue_ids)
                RETURNING message_id
            )
            SELECT count(*), array_agg(DISTINCT message_id) INTO v_count, v_messages FROM gone;
            IF v_count > 0 THEN
                PERFORM tacit_release_bodies(v_messages);
            END IF;
            RETURN v_count;
        END
        $$
        """,
        """
        CREATE FUNCTION tacit_drop_queue(p_recipient bigint) RETURNS integer
        LANGUAGE plpgsql AS $$
        DECLARE
            v_count integer;
            v_messages bigint[];
        BEGIN
            WITH gone AS (
                DELETE FROM queue_entries WHERE recipient_device_id = p_recipient RETURNING message_id
            )
            SELECT count(*), array_agg(DISTINCT message_id) INTO v_count, v_messages FROM gone;
            IF v_count > 0 THEN
                PERFORM tacit_release_bodies(v_messages);
            END IF;
            RETURN v_count;
        END
        $$
        """,
        """
        CREATE FUNCTION tacit_enqueue(p_sender bigint, p_client_message_id bytea, p_recipients bigint[],
                                      p_body bytea, p_received_at double precision)
        RETURNS TABLE (status smallint, recipients bigint[], queue_ids bigint[], unknown_recipient bigint)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
            v_recipients bigint[];
            v_message bigint;
            v_unknown bigint;
        BEGIN
            -- The recipients in the order given, each once.
            SELECT coalesce(array_agg(given.r ORDER BY given.first_ord), '{}') INTO v_recipients
            FROM (SELECT r, min(ord) AS first_ord
                  FROM unnest(p_recipients) WITH ORDINALITY AS listed(r, ord)
                  GROUP BY r) AS given;

            PERFORM 1 FROM devices
            WHERE id = ANY(array_append(v_recipients, p_sender))
            ORDER BY id FOR NO KEY UPDATE;

            -- A retry: the entries of the first copy that are still queued, nothing new.
            SELECT id INTO v_message FROM messages
            WHERE sender_device_id = p_sender AND client_message_id = p_client_message_id;
            IF FOUND THEN
                RETURN QUERY
                SELECT 1::smallint, array_agg(q.recipient_device_id ORDER BY q.queue_id),
                       array_agg(q.queue_id ORDER BY q.queue_id), NULL::bigint
                FROM queue_entries q WHERE q.message_id = v_message;
                RETURN;
            END IF;

            IF NOT EXISTS (SELECT 1 FROM devices WHERE id = p_sender AND revoked_at IS NULL) THEN
                RETURN QUERY SELECT 2::smallint, NULL::bigint[], NULL::bigint[], NULL::bigint;
                RETURN;
            END IF;

            SELECT given.r INTO v_unknown
            FROM unnest(v_recipients) WITH ORDINALITY AS given(r, ord)
            WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = given.r AND d.revoked_at IS NULL)
            ORDER BY given.ord LIMIT 1;
            IF FOUND THEN
                RETURN QUERY SELECT 3::smallint, NULL::bigint[], NULL::bigint[], v_unknown;
                RETURN;
            END IF;

            -- A message nobody receives keeps only its idempotency record.
            INSERT INTO messages (sender_device_id, client_message_id, body, received_at)
            VALUES (p_sender, p_client_message_id,
                    CASE WHEN cardinality(v_recipients) > 0 THEN p_body END, p_received_at)
            RETURNING id INTO v_message;

            RETURN QUERY
            WITH inserted AS (
                INSERT INTO queue_entries (recipient_device_id, message_id)
                SELECT given.r, v_message
                FROM unnest(v_recipients) WITH ORDINALITY AS given(r, ord)
                ORDER BY given.ord
                RETURNING recipient_device_id, queue_id
            )
            SELECT 0::smallint, array_agg(i.recipient_device_id ORDER BY i.queue_id),
                   array_agg(i.queue_id ORDER BY i.queue_id), NULL::bigint
            FROM inserted i;
        END
        $$
        """,
        // A group commit's enqueues in one call (one round trip): message i goes to
        // p_recipient_counts[i] recipients, the next ones in p_recipients. All device rows
        // the batch needs are locked first, in one statement and in id order, so batches
        // committing at once (on other connections or nodes) cannot deadlock.
        """
        CREATE FUNCTION tacit_enqueue_batch(p_senders bigint[], p_client_message_ids bytea[],
                                            p_recipients bigint[], p_recipient_counts integer[],
                                            p_bodies bytea[], p_received_at double precision[])
        RETURNS TABLE (ordinal integer, status smallint, recipients bigint[], queue_ids bigint[],
                       unknown_recipient bigint)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
            v_offset integer := 0;
            v_count integer;
        BEGIN
            PERFORM 1 FROM devices
            WHERE id = ANY(p_senders || p_recipients)
            ORDER BY id FOR NO KEY UPDATE;
            FOR i IN 1 .. coalesce(cardinality(p_senders), 0) LOOP
                v_count := p_recipient_counts[i];
                RETURN QUERY
                SELECT i, e.status, e.recipients, e.queue_ids, e.unknown_recipient
                FROM tacit_enqueue(p_senders[i], p_client_message_ids[i],
                                   coalesce(p_recipients[v_offset + 1 : v_offset + v_count], '{}'),
                                   p_bodies[i], p_received_at[i]) AS e;
                v_offset := v_offset + v_count;
            END LOOP;
        END
        $$
        """,
        // A group commit's acknowledgements in one call: acknowledgement i deletes
        // p_queue_id_counts[i] ids, the next ones in p_queue_ids, from p_devices[i]'s queue.
        """
        CREATE FUNCTION tacit_acknowledge_batch(p_devices bigint[], p_queue_ids bigint[],
                                                p_queue_id_counts integer[])
        RETURNS TABLE (ordinal integer, acknowledged integer)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
            v_offset integer := 0;
            v_count integer;
        BEGIN
            FOR i IN 1 .. coalesce(cardinality(p_devices), 0) LOOP
                v_count := p_queue_id_counts[i];
                ordinal := i;
                acknowledged := tacit_acknowledge(p_devices[i],
                                                  coalesce(p_queue_ids[v_offset + 1 : v_offset + v_count], '{}'));
                RETURN NEXT;
                v_offset := v_offset + v_count;
            END LOOP;
        END
        $$
        """,
    ])
}
