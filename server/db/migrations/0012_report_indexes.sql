CREATE INDEX "calls_started_idx" ON "calls" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "sla_alerts_breach_at_idx" ON "sla_alerts" USING btree ("at") WHERE "sla_alerts"."kind" = 'breach';--> statement-breakpoint
CREATE INDEX "ticket_events_escalated_idx" ON "ticket_events" USING btree ("ticket_id") WHERE "ticket_events"."type" = 'ticket.escalated';--> statement-breakpoint
CREATE INDEX "ticket_events_reopened_idx" ON "ticket_events" USING btree ("ticket_id") WHERE "ticket_events"."type" = 'ticket.updated' AND "ticket_events"."data"->'status'->>'from' IN ('solved', 'closed');--> statement-breakpoint
CREATE INDEX "tickets_created_idx" ON "tickets" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tickets_solved_idx" ON "tickets" USING btree ("solved_at") WHERE "tickets"."solved_at" IS NOT NULL;