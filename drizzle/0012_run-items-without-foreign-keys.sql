ALTER TABLE "sync_run_items" DROP CONSTRAINT "sync_run_items_run_id_sync_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "sync_run_items" DROP CONSTRAINT "sync_run_items_org_id_organizations_id_fk";
