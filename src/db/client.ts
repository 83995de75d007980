/**
 * One database handle for the whole app. PGlite (embedded Postgres in WASM, file-backed under
 * DATA_DIR) when DATABASE_URL is unset, postgres.js otherwise; the same Drizzle code runs on
 * both. Bulk sync writes that want COPY get their own postgres.js client (`bulkSql`), because
 * drizzle-orm/postgres-js changes the serializers of the client it wraps (stack-notes 5.1).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
/** A database or a transaction: every data function takes this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: "pglite" | "postgres";
  /** Raw postgres.js client for COPY and other bulk work (Postgres only). */
  bulkSql: postgres.Sql | undefined;
  /** The embedded instance (PGlite only). */
  pglite: PGlite | undefined;
  close(): Promise<void>;
}

export const drizzleOptions = { schema, casing: "snake_case" } as const;

export function openPostgres(url: string, options: { max?: number } = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Pages ask many small questions: starting parallel workers costs more than the work
    // (10 ms for the review list's 1 ms sort at 1M learners). The sync's bulk connection keeps them.
    connection: { application_name: "rollcall", max_parallel_workers_per_gather: "0" },
  });
  const bulkSql = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: "rollcall-bulk" } });
  return {
    db: drizzlePostgres({ client, ...drizzleOptions }) as unknown as Db,
    driver: "postgres",
    bulkSql,
    pglite: undefined,
    async close() {
      await Promise.all([client.end({ timeout: 5 }), bulkSql.end({ timeout: 5 })]);
    },
  };
}

export function wrapPglite(instance: PGlite): Database {
  return {
    db: drizzlePglite({ client: instance, ...drizzleOptions }) as unknown as Db,
    driver: "pglite",
    bulkSql: undefined,
    pglite: instance,
    async close() {
      await instance.close();
    },
  };
}

/** What every embedded instance loads: pg_trgm, for the name search's trigram indexes (the migrations create the extension). */
export const pgliteOptions = { extensions: { pg_trgm } } satisfies PGliteOptions;

export async function openPglite(dataDir: string): Promise<Database> {
  const directory = join(dataDir, "pglite");
  mkdirSync(directory, { recursive: true });
  const instance = await PGlite.create(directory, pgliteOptions);
  return wrapPglite(instance);
}

export async function openDatabase(config: { databaseUrl: string | undefined; dataDir: string }): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}

/** Rows of a raw query; PGlite returns `{ rows }`, postgres.js the rows themselves. */
export async function queryRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}

/** Throws unless the database answers a query (the health check). */
export async function databaseAnswers(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
