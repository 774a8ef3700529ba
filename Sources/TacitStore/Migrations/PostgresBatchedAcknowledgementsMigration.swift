/// PostgreSQL schema version 4: a group commit's acknowledgements release bodies once.
///
/// `tacit_acknowledge_batch` called `tacit_acknowledge` per acknowledgement, and each of those
/// locked and checked the bodies of the messages it touched: a group message acknowledged by a
/// thousand members in one batch was locked and checked a thousand times. Now every
/// acknowledgement of the batch deletes its entries first, and the bodies of all the
/// messages they touched are released in one `tacit_release_bodies` call at the end, which
/// still locks each message row (in id order) before it checks for remaining entries — so two
/// batches acknowledging a message's last entries at once still release its body exactly.
enum PostgresBatchedAcknowledgementsMigration {
    static let migration = PostgresMigration(version: 4, name: "v4-batched-acknowledgements", statements: [
        """
        CREATE OR REPLACE FUNCTION tacit_acknowledge_batch(p_devices bigint[], p_queue_ids bigint[],
                                                           p_queue_id_counts integer[])
        RETURNS TABLE (ordinal integer, acknowledged integer)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
            v_offset integer := 0;
            v_count integer;
            v_deleted integer;
            v_messages bigint[];
            v_touched bigint[] := '{}';
        BEGIN
            FOR i IN 1 .. coalesce(cardinality(p_devices), 0) LOOP
                v_count := p_queue_id_counts[i];
                WITH gone AS (
                    DELETE FROM queue_entries
                    WHERE recipient_device_id = p_devices[i]
                      AND queue_id = ANY(coalesce(p_queue_ids[v_offset + 1 : v_offset + v_count], '{}'))
                    RETURNING message_id
                )
                SELECT count(*), array_agg(DISTINCT message_id) INTO v_deleted, v_messages FROM gone;
                IF v_deleted > 0 THEN
                    v_touched := v_touched || v_messages;
                END IF;
                ordinal := i;
                acknowledged := v_deleted;
                RETURN NEXT;
                v_offset := v_offset + v_count;
            END LOOP;
            IF cardinality(v_touched) > 0 THEN
                PERFORM tacit_release_bodies(ARRAY(SELECT DISTINCT unnest(v_touched)));
            END IF;
        END
        $$
        """,
    ])
}
