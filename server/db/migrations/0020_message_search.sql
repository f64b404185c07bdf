CREATE TABLE "message_search" (
	"ticket_id" uuid NOT NULL,
	"terms" "tsvector" NOT NULL,
	"public" boolean NOT NULL
);
--> statement-breakpoint
-- The send functions (0014) no longer update the ticket's search document: each update rewrote
-- the whole growing tsvector and re-entered every one of its terms in the GIN index, so a chat
-- message cost more the longer its conversation (bench:chat fell from 1,174 to 187 msg/s on the
-- embedded default, issue 14). A message's terms now go into one insert-only message_search row;
-- livedesk_fold_message_search (below) moves them into the documents in batches, off the send path.
-- The functions also return the ticket's number and subject, and for a requester's public message
-- the people who work the ticket (assignee and followers), so the notification listener needs no
-- read of its own per customer message. The return type changes, so both are replaced whole.
DROP FUNCTION "livedesk_send_messages"(jsonb);
--> statement-breakpoint
DROP FUNCTION "livedesk_send_message"(uuid, uuid, uuid, "agent_tier", "ticket_status", boolean, uuid, "message_kind", text, text, text[]);
--> statement-breakpoint
CREATE FUNCTION "livedesk_send_message"(
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
	v_workers uuid[];
BEGIN
	SELECT t."number", t."subject" INTO v_number, v_subject FROM "tickets" t
	WHERE t."id" = p_ticket_id
		AND t."requester_id" = p_requester_id
		AND t."assignee_id" IS NOT DISTINCT FROM p_assignee_id
		AND t."tier" = p_tier
		AND t."status" = p_status
		AND (t."first_response_at" IS NOT NULL) = p_answered
	FOR UPDATE;
	IF NOT FOUND THEN
		-- Unlocked: these are a hint for the server's next decision, which this function re-checks.
		RETURN QUERY SELECT false, NULL::uuid, NULL::bigint, NULL::timestamptz,
			t."requester_id", t."assignee_id", t."tier", t."status", t."first_response_at" IS NOT NULL,
			NULL::integer, NULL::text, NULL::uuid[]
		FROM "tickets" t WHERE t."id" = p_ticket_id;
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
--> statement-breakpoint
CREATE FUNCTION "livedesk_send_messages"("p_sends" jsonb) RETURNS TABLE (
	"idx" integer,
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
	s record;
BEGIN
	FOR s IN
		SELECT (e.ord - 1)::integer AS i, e.v
		FROM jsonb_array_elements(p_sends) WITH ORDINALITY AS e(v, ord)
		ORDER BY e.v->>'ticketId', e.ord
	LOOP
		RETURN QUERY SELECT s.i, r.*
		FROM livedesk_send_message(
			(s.v->>'ticketId')::uuid,
			(s.v->>'requesterId')::uuid,
			(s.v->>'assigneeId')::uuid,
			(s.v->>'tier')::"agent_tier",
			(s.v->>'status')::"ticket_status",
			(s.v->>'answered')::boolean,
			(s.v->>'authorId')::uuid,
			(s.v->>'kind')::"message_kind",
			s.v->>'body',
			s.v->>'clientMessageId',
			ARRAY(SELECT jsonb_array_elements_text(coalesce(s.v->'terms', '[]'::jsonb)))
		) r;
	END LOOP;
END
$$;
--> statement-breakpoint
-- Folds the waiting message_search rows into their tickets' documents, in one statement: each
-- ticket's document is rewritten once for all of its waiting messages, and only when they bring a
-- term it lacks (a conversation's vocabulary soon repeats itself). Rows of a ticket without a
-- document (one the start-up backfill has not reached) wait for it. One fold at a time across
-- nodes (an advisory lock; another caller returns 0 at once). Rows inserted while it runs are not
-- in its snapshot and wait for the next fold. Returns how many rows it folded.
CREATE FUNCTION "livedesk_fold_message_search"() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_folded integer;
BEGIN
	IF NOT pg_try_advisory_xact_lock(hashtext('livedesk:fold-message-search')) THEN
		RETURN 0;
	END IF;
	WITH taken AS (
		DELETE FROM "message_search" p USING "ticket_search" d
		WHERE d."ticket_id" = p."ticket_id"
		RETURNING p."ticket_id", p."terms", p."public"
	), added AS (
		SELECT "ticket_id", count(*) AS n,
			string_agg("terms"::text, ' ')::tsvector AS terms,
			coalesce(string_agg("terms"::text, ' ') FILTER (WHERE "public"), '')::tsvector AS public_terms
		FROM taken GROUP BY "ticket_id"
	), written AS (
		UPDATE "ticket_search" d SET
			"terms" = d."terms" || a.terms,
			"public_terms" = d."public_terms" || a.public_terms
		FROM added a
		WHERE d."ticket_id" = a."ticket_id"
			AND NOT (tsvector_to_array(a.terms) <@ tsvector_to_array(d."terms")
				AND tsvector_to_array(a.public_terms) <@ tsvector_to_array(d."public_terms"))
		RETURNING 1
	)
	SELECT coalesce(sum(n), 0)::integer INTO v_folded FROM added;
	RETURN v_folded;
END
$$;
