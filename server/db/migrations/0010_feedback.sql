CREATE TABLE "call_ratings" (
	"call_id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"agent_id" uuid,
	"picture" integer NOT NULL,
	"sound" integer NOT NULL,
	"helpfulness" integer NOT NULL,
	"comment" text,
	"call_ended_at" timestamp with time zone,
	"submitted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"locks_at" timestamp with time zone NOT NULL,
	"revisions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "call_ratings_score_range" CHECK ("call_ratings"."picture" BETWEEN 1 AND 5 AND "call_ratings"."sound" BETWEEN 1 AND 5 AND "call_ratings"."helpfulness" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "feedback_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"call_id" uuid,
	"score" integer NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"overdue_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by_id" uuid,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "nps_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"score" integer,
	"category" text,
	"comment" text,
	"asked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "nps_responses_score_range" CHECK ("nps_responses"."score" IS NULL OR "nps_responses"."score" BETWEEN 0 AND 10)
);
--> statement-breakpoint
CREATE TABLE "ticket_csat" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"agent_id" uuid,
	"score" integer NOT NULL,
	"comment" text,
	"solved_at" timestamp with time zone,
	"submitted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"locks_at" timestamp with time zone NOT NULL,
	"revisions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ticket_csat_score_range" CHECK ("ticket_csat"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
ALTER TABLE "call_ratings" ADD CONSTRAINT "call_ratings_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_ratings" ADD CONSTRAINT "call_ratings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_ratings" ADD CONSTRAINT "call_ratings_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_ratings" ADD CONSTRAINT "call_ratings_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_follow_ups" ADD CONSTRAINT "feedback_follow_ups_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_follow_ups" ADD CONSTRAINT "feedback_follow_ups_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_follow_ups" ADD CONSTRAINT "feedback_follow_ups_closed_by_id_users_id_fk" FOREIGN KEY ("closed_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nps_responses" ADD CONSTRAINT "nps_responses_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_csat" ADD CONSTRAINT "ticket_csat_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_csat" ADD CONSTRAINT "ticket_csat_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_csat" ADD CONSTRAINT "ticket_csat_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_ratings_submitted_idx" ON "call_ratings" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "call_ratings_ticket_idx" ON "call_ratings" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "call_ratings_agent_idx" ON "call_ratings" USING btree ("agent_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_follow_ups_subject_unique" ON "feedback_follow_ups" USING btree ("source","subject_id");--> statement-breakpoint
CREATE INDEX "feedback_follow_ups_queue_idx" ON "feedback_follow_ups" USING btree ("closed_at","due_at");--> statement-breakpoint
CREATE INDEX "feedback_follow_ups_opened_idx" ON "feedback_follow_ups" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "feedback_follow_ups_ticket_idx" ON "feedback_follow_ups" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "nps_responses_customer_idx" ON "nps_responses" USING btree ("customer_id","asked_at");--> statement-breakpoint
CREATE INDEX "nps_responses_asked_idx" ON "nps_responses" USING btree ("asked_at");--> statement-breakpoint
CREATE INDEX "ticket_csat_submitted_idx" ON "ticket_csat" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "ticket_csat_agent_idx" ON "ticket_csat" USING btree ("agent_id","submitted_at");