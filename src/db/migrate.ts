/**
 * Applies drizzle/ at start-up. Drizzle's migrator takes no lock, and several processes
 * starting at once against one empty Postgres collide on CREATE TABLE (stack-notes 1.7), so on
 * Postgres it runs under a session advisory lock on a dedicated one-connection client.
 * PGlite is single-process and needs none.
 */
import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Database } from "./client.ts";

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

const MIGRATION_LOCK = "rollcall:migrations";

export async function migrateDatabase(database: Database, databaseUrl: string | undefined): Promise<void> {
  if (database.driver === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  if (!databaseUrl) throw new Error("migrateDatabase: a Postgres database needs its URL");
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(hashtextextended(${MIGRATION_LOCK}, 0))`;
    await migratePostgres(drizzle({ client }), { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}
