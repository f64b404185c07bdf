ALTER TABLE "ticket_messages" ADD COLUMN "system" jsonb;--> statement-breakpoint
-- System messages written before this migration hold only English text. Those the server wrote
-- (call started, whiteboard saved, merged) are converted to their structured event, so every
-- reader sees them in their own language; anything else keeps its text and is shown as it is.
UPDATE "ticket_messages" AS tm SET "system" = jsonb_build_object(
  'type', 'call.started',
  'callId', (regexp_match(tm."body", '^(.*) started a video call\. Join it: /tickets/[0-9a-f-]{36}/call/([0-9a-f-]{36})$'))[2],
  'startedBy', (regexp_match(tm."body", '^(.*) started a video call\. Join it: /tickets/[0-9a-f-]{36}/call/([0-9a-f-]{36})$'))[1])
WHERE tm."kind" = 'system' AND tm."system" IS NULL
  AND tm."body" ~ '^.* started a video call\. Join it: /tickets/[0-9a-f-]{36}/call/[0-9a-f-]{36}$';--> statement-breakpoint
UPDATE "ticket_messages" AS tm SET "system" = jsonb_build_object(
  'type', 'board.saved',
  'callId', (SELECT b."call_id" FROM "boards" b JOIN "attachments" a ON a."id" = b."image_attachment_id" WHERE a."message_id" = tm."id" LIMIT 1),
  'boardId', (SELECT b."id" FROM "boards" b JOIN "attachments" a ON a."id" = b."image_attachment_id" WHERE a."message_id" = tm."id" LIMIT 1),
  'elements', (regexp_match(tm."body", '^Whiteboard from the call saved \((\d+) elements?\)\.$'))[1]::integer)
WHERE tm."kind" = 'system' AND tm."system" IS NULL
  AND tm."body" ~ '^Whiteboard from the call saved \(\d+ elements?\)\.$';--> statement-breakpoint
UPDATE "ticket_messages" AS tm SET "system" = jsonb_build_object(
  'type', 'ticket.merged_into',
  'number', (regexp_match(tm."body", '^Merged into #(\d+)\.$'))[1]::integer,
  'ticketId', (SELECT t."id" FROM "tickets" t WHERE t."number" = (regexp_match(tm."body", '^Merged into #(\d+)\.$'))[1]::integer))
WHERE tm."kind" = 'system' AND tm."system" IS NULL AND tm."body" ~ '^Merged into #\d+\.$';--> statement-breakpoint
UPDATE "ticket_messages" AS tm SET "system" = jsonb_build_object(
  'type', 'ticket.merged_from',
  'number', (regexp_match(tm."body", '^#(\d+) was merged into this ticket\.$'))[1]::integer,
  'ticketId', (SELECT t."id" FROM "tickets" t WHERE t."number" = (regexp_match(tm."body", '^#(\d+) was merged into this ticket\.$'))[1]::integer))
WHERE tm."kind" = 'system' AND tm."system" IS NULL AND tm."body" ~ '^#\d+ was merged into this ticket\.$';
