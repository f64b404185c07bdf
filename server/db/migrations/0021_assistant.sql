ALTER TYPE "public"."message_kind" ADD VALUE 'bot';--> statement-breakpoint
CREATE TABLE "bot_conversations" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'answering' NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"no_count" integer DEFAULT 0 NOT NULL,
	"searches" integer DEFAULT 0 NOT NULL,
	"suggested" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"handoff_reason" text,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notification_settings" ALTER COLUMN "events" SET DEFAULT ARRAY['new_ticket','customer_message','assigned','sla_warning','handoff','article_task']::text[];--> statement-breakpoint
ALTER TABLE "help_article_tasks" ADD COLUMN "overdue_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bot_conversations" ADD CONSTRAINT "bot_conversations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bot_conversations_started_idx" ON "bot_conversations" USING btree ("started_at");--> statement-breakpoint
-- People who saved their notification settings before these events existed get them too (they
-- chose among the old ones; nobody turned the new ones off).
UPDATE "notification_settings" SET "events" = "events" || ARRAY['handoff','article_task']::text[];
