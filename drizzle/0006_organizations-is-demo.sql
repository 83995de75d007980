ALTER TABLE "organizations" ADD COLUMN "is_demo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- The demo organizations an embedded data directory already holds, known by their admins.
UPDATE "organizations" SET "is_demo" = true WHERE "id" IN (SELECT "org_id" FROM "staff_users" WHERE "email" IN ('admin@demo.rollcall.test', 'access@oakfield.demo.rollcall.test'));
