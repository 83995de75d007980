/**
 * A fresh, migrated database for each test file that asks for one.
 *
 * With DATABASE_URL set (CI), each call creates its own Postgres database from a migrated
 * template, so files never see each other's rows. Without it, each call gets an in-memory
 * PGlite loaded from a migrated dump made once per test process (a fresh PGlite with initdb
 * costs ~3 s; loading the dump ~0.2 s).
 */
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { type Database, openPostgres, pgliteOptions, wrapPglite } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";

export const testDatabaseUrl = process.env.DATABASE_URL || undefined;

let pgliteDump: Promise<File | Blob> | undefined;
let templateReady: Promise<string> | undefined;
let counter = 0;

export interface TestDatabase extends Database {
  /** The URL of this file's own database (Postgres only), for child processes. */
  url: string | undefined;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  return testDatabaseUrl ? createPostgresDatabase(testDatabaseUrl) : createPgliteDatabase();
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  pgliteDump ??= (async () => {
    const template = await PGlite.create(pgliteOptions);
    await migrateDatabase(wrapPglite(template), undefined);
    const dump = await template.dumpDataDir("none");
    await template.close();
    return dump;
  })();
  const instance = await PGlite.create({ ...pgliteOptions, loadDataDir: await pgliteDump });
  return { ...wrapPglite(instance), url: undefined };
}

/** The name of a database inside the server that `url` points at. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function createPostgresDatabase(url: string): Promise<TestDatabase> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    templateReady ??= (async () => {
      const template = `rollcall_template_${process.pid}`;
      await admin.unsafe(`drop database if exists ${template}`);
      await admin.unsafe(`create database ${template}`);
      const database = openPostgres(withDatabase(url, template), { max: 1 });
      await migrateDatabase(database, withDatabase(url, template));
      await database.close();
      return template;
    })();
    const template = await templateReady;
    const name = `rollcall_test_${process.pid}_${++counter}`;
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name} template ${template}`);
    const databaseUrl = withDatabase(url, name);
    const database = openPostgres(databaseUrl);
    return {
      ...database,
      url: databaseUrl,
      async close() {
        await database.close();
        const cleanup = postgres(url, { max: 1, onnotice: () => {} });
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      },
    };
  } finally {
    await admin.end();
  }
}
