import { afterAll, describe, expect, test } from "bun:test";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { createTestDatabase, testDatabaseUrl, withDatabase } from "../helpers/db.ts";
import { queryRows } from "../../src/db/client.ts";
import { sql } from "drizzle-orm";

describe("migrations", () => {
  test("a migrated database has every table of the domain", async () => {
    const database = await createTestDatabase();
    try {
      const rows = await queryRows<{ table_name: string }>(
        database.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      const tables = rows.map((row) => row.table_name);
      for (const table of [
        "organizations",
        "products",
        "licences",
        "staff_users",
        "sessions",
        "invites",
        "connections",
        "sync_settings",
        "schools",
        "academic_sessions",
        "year_groups",
        "classes",
        "learners",
        "educators",
        "enrolments",
        "class_educators",
        "source_links",
        "archive_entries",
        "sync_runs",
        "sync_run_items",
        "sync_problems",
        "audit_log",
        "email_outbox",
        "email_verifications",
      ]) {
        expect(tables).toContain(table);
      }
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(!testDatabaseUrl)("three processes against one empty Postgres", () => {
  const name = `rollcall_race_${process.pid}`;
  const admin = testDatabaseUrl ? postgres(testDatabaseUrl, { max: 1, onnotice: () => {} }) : undefined;
  afterAll(async () => {
    await admin?.unsafe(`drop database if exists ${name} with (force)`);
    await admin?.end();
  });

  test("all three migrate and serve /healthz", async () => {
    await admin!.unsafe(`drop database if exists ${name} with (force)`);
    await admin!.unsafe(`create database ${name}`);
    const databaseUrl = withDatabase(testDatabaseUrl!, name);
    const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
    const children = [0, 1, 2].map(() =>
      Bun.spawn([process.execPath, main], {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          PORT: "0",
          SESSION_SECRET: "s".repeat(40),
          ENCRYPTION_KEY: "a".repeat(64),
          ROLLCALL_NO_SCHEDULER: "1",
        },
        stdout: "pipe",
        stderr: "pipe",
      }),
    );
    try {
      const urls = await Promise.all(children.map((child) => listeningUrl(child.stdout)));
      for (const url of urls) {
        const response = await fetch(`${url}/healthz`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ ok: true, database: "ok" });
      }
      const verify = postgres(databaseUrl, { max: 1 });
      const rows = await verify`select count(*)::int as count from drizzle.__drizzle_migrations`;
      await verify.end();
      expect(Number(rows[0]?.count)).toBeGreaterThan(0);
    } finally {
      for (const child of children) child.kill();
      await Promise.all(children.map((child) => child.exited));
    }
  }, 60_000);
});

/** main.ts prints "Rollcall is listening on http://...:PORT" once it serves. */
async function listeningUrl(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let seen = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    seen += decoder.decode(chunk.value);
    const match = seen.match(/listening on (http:\/\/\S+)/);
    if (match) return match[1]!;
  }
  throw new Error(`the process ended before it served:\n${seen}`);
}
