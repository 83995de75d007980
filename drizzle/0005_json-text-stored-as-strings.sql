-- Finished runs' counts and the audit entries written inside a sync's transaction were sent to
-- Postgres as JSON text in a jsonb parameter, which stored each as one JSON string. They are
-- turned back into the objects they hold; rows written as objects are left as they are.
UPDATE "sync_runs" SET "counts" = ("counts" #>> '{}')::jsonb WHERE jsonb_typeof("counts") = 'string';--> statement-breakpoint
UPDATE "audit_log" SET "detail" = ("detail" #>> '{}')::jsonb WHERE jsonb_typeof("detail") = 'string';
