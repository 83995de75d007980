ALTER TABLE "sync_runs" ADD COLUMN "read_mode" text;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "read_reason" text;--> statement-breakpoint
ALTER TABLE "sync_settings" ADD COLUMN "full_read_every_days" integer DEFAULT 7 NOT NULL;