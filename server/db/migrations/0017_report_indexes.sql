CREATE INDEX "ticket_events_type_idx" ON "ticket_events" USING btree ("type","ticket_id");--> statement-breakpoint
CREATE INDEX "tickets_created_idx" ON "tickets" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tickets_solved_idx" ON "tickets" USING btree ("solved_at") WHERE "tickets"."solved_at" IS NOT NULL;