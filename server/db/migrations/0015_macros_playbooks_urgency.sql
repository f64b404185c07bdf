CREATE TABLE "composer_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"send_key" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "macros" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" text NOT NULL,
	"owner_id" uuid,
	"title" text NOT NULL,
	"bodies" jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "macros_owner_matches_scope" CHECK (("macros"."scope" = 'personal') = ("macros"."owner_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "playbooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category" text NOT NULL,
	"title" jsonb NOT NULL,
	"steps" jsonb NOT NULL,
	"follow_up_hours" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_playbook_steps" (
	"ticket_id" uuid NOT NULL,
	"step_id" text NOT NULL,
	"done_by_id" uuid,
	"done_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_playbook_steps_ticket_id_step_id_pk" PRIMARY KEY("ticket_id","step_id")
);
--> statement-breakpoint
ALTER TABLE "feedback_follow_ups" ALTER COLUMN "score" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "customer_urgency" text;--> statement-breakpoint
ALTER TABLE "composer_preferences" ADD CONSTRAINT "composer_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "macros" ADD CONSTRAINT "macros_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_playbook_steps" ADD CONSTRAINT "ticket_playbook_steps_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_playbook_steps" ADD CONSTRAINT "ticket_playbook_steps_done_by_id_users_id_fk" FOREIGN KEY ("done_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "macros_owner_idx" ON "macros" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "playbooks_category_unique" ON "playbooks" USING btree ("category");