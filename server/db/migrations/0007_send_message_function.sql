-- The steady-state chat send as one call (issue 14): a function's statements are planned once per
-- session and reused, where the same CTE sent as text is parsed and planned on every message.
-- Locks the ticket only if it still has the facts the server decided on (access rules and
-- effects are decided in server/tickets, not here), inserts the message (a repeated client
-- message id inserts nothing, through the unique index) and moves the ticket's updated_at only
-- when a message was inserted. The lock is taken before the insert draws its seq, so per ticket
-- seq order is commit order. matched = false: the ticket is gone or changed; no message id with
-- matched = true: a duplicate.
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
) RETURNS TABLE ("matched" boolean, "message_id" uuid, "message_seq" bigint, "message_created_at" timestamptz)
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
		RETURN QUERY SELECT false, NULL::uuid, NULL::bigint, NULL::timestamptz;
		RETURN;
	END IF;
	INSERT INTO "ticket_messages" AS m ("ticket_id", "author_id", "kind", "body", "client_message_id")
	VALUES (p_ticket_id, p_author_id, p_kind, p_body, p_client_message_id)
	ON CONFLICT ("ticket_id", "author_id", "client_message_id") DO NOTHING
	RETURNING m."id", m."seq", m."created_at" INTO v_id, v_seq, v_created_at;
	IF v_id IS NOT NULL THEN
		UPDATE "tickets" SET "updated_at" = v_created_at WHERE "id" = p_ticket_id;
	END IF;
	RETURN QUERY SELECT true, v_id, v_seq, v_created_at;
END
$$;
