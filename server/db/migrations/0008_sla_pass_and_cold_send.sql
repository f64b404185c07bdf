CREATE INDEX "tickets_updated_idx" ON "tickets" USING btree ("updated_at");--> statement-breakpoint
-- A send whose facts no longer match (or a first send, which passes none) gets the ticket's
-- current facts back instead of nothing, so the server decides again with access.ts and retries
-- the same one-statement call: a ticket's first send is two calls, no transaction (issue 14).
-- No row at all: the ticket is gone. The return type changes, so the function is replaced whole.
DROP FUNCTION "livedesk_send_message"(uuid, uuid, uuid, "agent_tier", "ticket_status", boolean, uuid, "message_kind", text, text);
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
	"p_client_message_id" text
) RETURNS TABLE (
	"matched" boolean,
	"message_id" uuid,
	"message_seq" bigint,
	"message_created_at" timestamptz,
	"cur_requester_id" uuid,
	"cur_assignee_id" uuid,
	"cur_tier" "agent_tier",
	"cur_status" "ticket_status",
	"cur_answered" boolean
)
LANGUAGE plpgsql AS $$
DECLARE
	v_id uuid;
	v_seq bigint;
	v_created_at timestamptz;
BEGIN
	PERFORM 1 FROM "tickets" t
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
			t."requester_id", t."assignee_id", t."tier", t."status", t."first_response_at" IS NOT NULL
		FROM "tickets" t WHERE t."id" = p_ticket_id;
		RETURN;
	END IF;
	INSERT INTO "ticket_messages" AS m ("ticket_id", "author_id", "kind", "body", "client_message_id")
	VALUES (p_ticket_id, p_author_id, p_kind, p_body, p_client_message_id)
	ON CONFLICT ("ticket_id", "author_id", "client_message_id") DO NOTHING
	RETURNING m."id", m."seq", m."created_at" INTO v_id, v_seq, v_created_at;
	IF v_id IS NOT NULL THEN
		UPDATE "tickets" SET "updated_at" = v_created_at WHERE "id" = p_ticket_id;
	END IF;
	RETURN QUERY SELECT true, v_id, v_seq, v_created_at,
		p_requester_id, p_assignee_id, p_tier, p_status, p_answered;
END
$$;
--> statement-breakpoint
-- Several sends in one statement (group commit, issue 14): each element is one call of
-- livedesk_send_message, all in the statement's one transaction, so one round trip and one commit
-- serve them all. Elements go in ticket order so two batches lock their tickets in the same order
-- (no deadlock between nodes); the server never puts two sends of one ticket in a batch (they go
-- in line per ticket). idx: the element's position in p_sends, counted from 0.
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
	"cur_answered" boolean
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
			s.v->>'clientMessageId'
		) r;
	END LOOP;
END
$$;
