-- Trigram indexes for name search (pg_trgm ships with Postgres contrib and with PGlite).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "classes_org_status_name_idx" ON "classes" USING btree ("org_id","status",coalesce("name_override", "name"),"id");--> statement-breakpoint
CREATE INDEX "classes_search_trgm_idx" ON "classes" USING gin ((' ' || coalesce("name_override", "name") || ' ' || "name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "learners_org_status_name_idx" ON "learners" USING btree ("org_id","status","family_name","given_name","id");--> statement-breakpoint
CREATE INDEX "learners_search_trgm_idx" ON "learners" USING gin ((' ' || coalesce("preferred_given_name", "given_name") || ' ' || "family_name" || ' ' || "given_name" || ' ' || coalesce("username", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "learners_org_upper_state_id_idx" ON "learners" USING btree ("org_id",upper("state_id"));--> statement-breakpoint
CREATE INDEX "learners_org_upper_student_number_idx" ON "learners" USING btree ("org_id",upper("student_number"));--> statement-breakpoint
CREATE INDEX "learners_org_no_access_idx" ON "learners" USING btree ("org_id") WHERE not "learners"."has_access";--> statement-breakpoint
CREATE INDEX "sync_run_items_run_entity_id_idx" ON "sync_run_items" USING btree ("run_id","entity","id");