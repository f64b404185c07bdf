-- The send's lock names its ticket by primary key only, then compares the facts the server decided
-- on (issue 14). It used to put those facts in the locking SELECT's WHERE; every one of them has an
-- index (requester, status + tier), and the function's cached, generic plan does not know the
-- values: with no statistics on "tickets" (a fresh database before its first ANALYZE, PGlite, or a
-- PostgreSQL whose autovacuum is off) all of them looked as cheap as the primary key and the plan
-- walked "tickets_queue_idx" — every open ticket of the tier, per message (bench:chat, 5,000 sockets:
-- ~2,500 rows read and ~120 buffers per send, the largest share of the database's time). Locked by
-- id, the only index the plan can use is the primary key. A ticket whose facts changed is now
-- locked too until the statement's transaction ends (the single send: at once; a group: its commit,
-- whose sends lock their tickets in id order as before); the facts returned are still only a hint
-- for the server's next decision, which this function checks again.
CREATE OR REPLACE FUNCTION "livedesk_send_message"(
	"p_ticket_id" uuid,
	"p_requester_id" uuid,
	"p_assignee_id" uuid,
	"p_tier" "agent_tier",
	"p_status" "ticket_status",
	"p_answered" boolean,
	"p_author_id" uuid,
	"p_kind" "message_kind",
	"p_body" text,
	"p_client_message_id" text,
	"p_terms" text[]
) RETURNS TABLE (
	"matched" boolean,
	"message_id" uuid,
	"message_seq" bigint,
	"message_created_at" timestamptz,
	"cur_requester_id" uuid,
	"cur_assignee_id" uuid,
	"cur_tier" "agent_tier",
	"cur_status" "ticket_status",
	"cur_answered" boolean,
	"ticket_number" integer,
	"ticket_subject" text,
	"worker_ids" uuid[]
)
LANGUAGE plpgsql AS $$
DECLARE
	v_id uuid;
	v_seq bigint;
	v_created_at timestamptz;
	v_number integer;
	v_subject text;
	v_requester uuid;
	v_assignee uuid;
	v_tier "agent_tier";
	v_status "ticket_status";
	v_answered boolean;
	v_workers uuid[];
BEGIN
	SELECT t."number", t."subject", t."requester_id", t."assignee_id", t."tier", t."status",
		t."first_response_at" IS NOT NULL
	INTO v_number, v_subject, v_requester, v_assignee, v_tier, v_status, v_answered
	FROM "tickets" t WHERE t."id" = p_ticket_id
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN; -- the ticket is gone
	END IF;
	-- IS DISTINCT FROM: a first send passes no facts (NULLs), which never match.
	IF v_requester IS DISTINCT FROM p_requester_id
		OR v_assignee IS DISTINCT FROM p_assignee_id
		OR v_tier IS DISTINCT FROM p_tier
		OR v_status IS DISTINCT FROM p_status
		OR v_answered IS DISTINCT FROM p_answered THEN
		RETURN QUERY SELECT false, NULL::uuid, NULL::bigint, NULL::timestamptz,
			v_requester, v_assignee, v_tier, v_status, v_answered,
			NULL::integer, NULL::text, NULL::uuid[];
		RETURN;
	END IF;
	INSERT INTO "ticket_messages" AS m ("ticket_id", "author_id", "kind", "body", "client_message_id")
	VALUES (p_ticket_id, p_author_id, p_kind, p_body, p_client_message_id)
	ON CONFLICT ("ticket_id", "author_id", "client_message_id") DO NOTHING
	RETURNING m."id", m."seq", m."created_at" INTO v_id, v_seq, v_created_at;
	IF v_id IS NOT NULL THEN
		UPDATE "tickets" SET "updated_at" = v_created_at WHERE "id" = p_ticket_id;
		IF cardinality(p_terms) > 0 THEN
			INSERT INTO "message_search" ("ticket_id", "terms", "public")
			VALUES (p_ticket_id, array_to_tsvector(p_terms), p_kind = 'public');
		END IF;
		IF p_author_id = p_requester_id AND p_kind = 'public' THEN
			SELECT array_agg(w.id) INTO v_workers FROM (
				SELECT p_assignee_id AS id WHERE p_assignee_id IS NOT NULL
				UNION SELECT f."user_id" FROM "ticket_followers" f WHERE f."ticket_id" = p_ticket_id
			) w;
			v_workers := coalesce(v_workers, '{}');
		END IF;
	END IF;
	RETURN QUERY SELECT true, v_id, v_seq, v_created_at,
		p_requester_id, p_assignee_id, p_tier, p_status, p_answered, v_number, v_subject, v_workers;
END
$$;
