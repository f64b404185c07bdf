CREATE TABLE "saved_queue_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"sort" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_search" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"terms" "tsvector" NOT NULL,
	"public_terms" "tsvector" NOT NULL,
	"customer_terms" "tsvector" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "saved_queue_views" ADD CONSTRAINT "saved_queue_views_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_search" ADD CONSTRAINT "ticket_search_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_queue_views_user_name_unique" ON "saved_queue_views" USING btree ("user_id","name");--> statement-breakpoint
CREATE INDEX "ticket_search_staff_idx" ON "ticket_search" USING gin (("terms" || "customer_terms"));--> statement-breakpoint
-- The send functions (0007, 0008) also append the message's search terms to its ticket's search
-- document (issue 17): inside the same call, so a send stays one round trip and one statement
-- from the server. The terms are computed by the server (jieba, stemming: textTokens.ts); the
-- database only stores them. A system message passes none. An internal note's terms go only into
-- the staff document. The signature changes, so both functions are replaced whole.
DROP FUNCTION "livedesk_send_messages"(jsonb);
--> statement-breakpoint
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
		IF cardinality(p_terms) > 0 THEN
			UPDATE "ticket_search" SET
				"terms" = "terms" || array_to_tsvector(p_terms),
				"public_terms" = CASE WHEN p_kind = 'public'
					THEN "public_terms" || array_to_tsvector(p_terms) ELSE "public_terms" END
			WHERE "ticket_id" = p_ticket_id;
		END IF;
	END IF;
	RETURN QUERY SELECT true, v_id, v_seq, v_created_at,
		p_requester_id, p_assignee_id, p_tier, p_status, p_answered;
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
			s.v->>'clientMessageId',
			ARRAY(SELECT jsonb_array_elements_text(coalesce(s.v->'terms', '[]'::jsonb)))
		) r;
	END LOOP;
END
$$;
