/**
 * What the sync benchmarks share: a fresh Postgres database, an organization that syncs every
 * grade, the rows a run wrote, and a step's time with its own peak memory.
 */
import { existsSync, writeFileSync } from "node:fs";
import { sql as drizzleSql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres, queryRows, type Database } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { syncSettings } from "../../src/db/schema/index.ts";
import { createOrganization } from "../../src/orgs/organizations.ts";
import { ensureProducts } from "../../src/products.ts";
import { GRADE_CODES } from "../../src/roster/snapshot.ts";
import { type ConnectionDetails, saveConnection } from "../../src/connections/details.ts";
import { withDatabase } from "../helpers/db.ts";
import { rssMb, settle } from "./resident-memory.ts";

export const baseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
export const ENCRYPTION_KEY = "0123456789abcdef".repeat(4);

/** Linux reports the peak; elsewhere the resident size now stands in for it. */
const onLinux = existsSync("/proc/self/status");

export function peakRssMb(): number {
  return Math.round(onLinux ? rssMb("VmHWM") : process.memoryUsage.rss() / 1048576);
}

const residentMb = () => Math.round(process.memoryUsage.rss() / 1048576);

/**
 * Time and this step's own peak memory: the last step's garbage is collected and its pages
 * handed back first (at 200k learners the 1% change began at 282 to 298 MB without waiting,
 * 90 MB with it), the peak is reset (Linux: /proc/self/clear_refs), and the resident memory
 * the step started from is kept beside it. Memory still live when the step starts is not
 * handed back, and shows as a high start.
 */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T; peakMb: number; startMb: number }> {
  // A step starts as a server's next sync does, after a turn of the event loop: until then the
  // frames of a sync that has just finished can still be found on the stack, and what they hold
  // survives the collection (after planning a 200k first sync, 26 MB more than after the turn).
  await new Promise((resolve) => setImmediate(resolve));
  // What earlier steps left dirty is written out now, not during this step's time.
  await onServer("checkpoint");
  Bun.gc(true);
  if (onLinux) settle();
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // Elsewhere the peak is the process's so far.
  }
  const startMb = residentMb();
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value, peakMb: peakRssMb(), startMb };
}

/** One statement on the bench's Postgres server, outside any bench database. */
async function onServer(statement: string): Promise<void> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(statement);
  await admin.end();
}

export const peak = (step: { peakMb: number; startMb: number }) => `peak ${step.peakMb} MB from ${step.startMb} MB at its start`;

export interface BenchDatabase {
  database: Database;
  url: string;
  drop(): Promise<void>;
}

/** A new, migrated database `rollcall_bench_<purpose>_<pid>` on the bench's Postgres; `drop` closes and removes it. */
export async function freshDatabase(purpose: string): Promise<BenchDatabase> {
  const name = `rollcall_bench_${purpose}_${process.pid}`;
  await onServer(`drop database if exists ${name} with (force)`);
  await onServer(`create database ${name}`);
  const url = withDatabase(baseUrl, name);
  const database = openPostgres(url);
  await migrateDatabase(database, url);
  await ensureProducts(database.db);
  return {
    database,
    url,
    async drop() {
      await database.close();
      await onServer(`drop database if exists ${name} with (force)`);
    },
  };
}

/** An organization connected to `details` (a OneRoster file unless said; the benchmark reads its own district, whatever the connection names). */
export async function newOrganization(
  database: Database,
  name: string,
  details: ConnectionDetails = { source: "oneroster", kind: "file", path: "/bench.zip" },
): Promise<string> {
  const org = await createOrganization(database.db, { name, adminEmail: "bench@bench.test", licences: ["reading"] }, "http://localhost");
  await saveConnection(database.db, {
    orgId: org.id,
    details,
    secret: null,
    encryptionKey: ENCRYPTION_KEY,
  });
  await database.db
    .update(syncSettings)
    .set({ scope: { kind: "grades", grades: [...GRADE_CODES] } })
    .where(drizzleSql`org_id = ${org.id}`);
  return org.id;
}

/** Roster rows this run wrote: every roster table marks its writes with the run id. */
export async function rowsWrittenBy(database: Database, runId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    drizzleSql.raw(`select (select count(*) from learners where last_run_id = '${runId}') + (select count(*) from classes where last_run_id = '${runId}')
      + (select count(*) from educators where last_run_id = '${runId}') + (select count(*) from enrolments where last_run_id = '${runId}')
      + (select count(*) from class_educators where last_run_id = '${runId}') + (select count(*) from schools where last_run_id = '${runId}')
      + (select count(*) from source_links where linked_by_run_id = '${runId}') as n`),
  );
  return Number(row!.n);
}
