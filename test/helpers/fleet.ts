/**
 * A fleet for the fleet test and benchmark: many organizations scheduled for one slot, each
 * reading a OneRoster zip through the real connection reader, and several app processes
 * (test/schedule/fleet-process.ts) working their slots against one Postgres database.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../src/db/client.ts";
import { syncRuns, syncSettings } from "../../src/db/schema/index.ts";
import { OneRosterZipWriter } from "../../src/roster/oneroster-zip.ts";
import { GRADE_CODES, type SnapshotSink } from "../../src/roster/snapshot.ts";
import { createOrganization } from "../../src/orgs/organizations.ts";
import { saveConnection } from "../../src/connections/details.ts";
import type { SyncService } from "../../src/sync/run/service.ts";
import type { FleetProcessReport } from "../schedule/fleet-process.ts";

export const FLEET_ENCRYPTION_KEY = "0123456789abcdef".repeat(4);

/** Writes what `read` delivers as a OneRoster zip: every organization of the fleet reads one. */
export async function writeRosterZip(path: string, read: (sink: SnapshotSink) => Promise<unknown>): Promise<void> {
  const writer = new OneRosterZipWriter();
  await read(writer);
  await writer.finish(path);
}

/**
 * `count` organizations, each its own district reading `zipPath`, all syncing daily at
 * `timeOfDay` UTC. Created a few at a time; returns their ids.
 */
export async function scheduledOrganizations(db: Db, input: { count: number; zipPath: string; timeOfDay: string }): Promise<string[]> {
  const ids: string[] = [];
  const createOne = async (index: number) => {
    const org = await createOrganization(db, { name: `Fleet ${index}`, adminEmail: `admin${index}@fleet.test`, licences: ["reading"] }, "http://localhost");
    await saveConnection(db, {
      orgId: org.id,
      details: { source: "oneroster", kind: "file", path: input.zipPath },
      secret: null,
      encryptionKey: FLEET_ENCRYPTION_KEY,
    });
    await db
      .update(syncSettings)
      .set({ scope: { kind: "grades", grades: [...GRADE_CODES] }, scheduleEnabled: true, frequency: "daily", timeOfDay: input.timeOfDay })
      .where(eq(syncSettings.orgId, org.id));
    ids.push(org.id);
  };
  for (let first = 0; first < input.count; first += 8) {
    await Promise.all(Array.from({ length: Math.min(8, input.count - first) }, (_, step) => createOne(first + step)));
  }
  return ids;
}

/**
 * The service as it is, noting the runs it starts and the most it ran at once: the count rises
 * only when a run starts, so noting it after every start finds its peak.
 */
export function countingService(service: SyncService): { service: SyncService; started: string[]; peak(): number } {
  let peak = 0;
  const started: string[] = [];
  const counted: SyncService = {
    deps: service.deps,
    approve: service.approve,
    cancel: service.cancel,
    idle: service.idle,
    onRunEnded: service.onRunEnded,
    get running() {
      return service.running;
    },
    async start(options) {
      const id = await service.start(options);
      peak = Math.max(peak, service.running);
      started.push(id);
      return id;
    },
  };
  return { service: counted, started, peak: () => peak };
}

export interface Fleet {
  pids: number[];
  /** When the processes first tick: their clock reads `clock` then. */
  startAt: number;
  /** Stops every process (each waits for its syncs) and returns their reports, in order. */
  stop(): Promise<FleetProcessReport[]>;
}

/**
 * Starts `processes` app processes against `url`, each with SYNC_CONCURRENCY `concurrency`,
 * whose schedulers read `clock` when they first tick together.
 */
export function startFleet(input: { url: string; processes: number; concurrency: number; clock: Date }): Fleet {
  const child = new URL("../schedule/fleet-process.ts", import.meta.url).pathname;
  const startAt = Date.now() + 1500;
  const env = {
    ...process.env,
    DATABASE_URL: input.url,
    SESSION_SECRET: "f".repeat(48),
    ENCRYPTION_KEY: FLEET_ENCRYPTION_KEY,
    SYNC_CONCURRENCY: String(input.concurrency),
    ROLLCALL_FLEET_CLOCK: input.clock.toISOString(),
    ROLLCALL_FLEET_START_AT: String(startAt),
  };
  const children = Array.from({ length: input.processes }, () => Bun.spawn([process.execPath, child], { env, stdout: "pipe", stderr: "inherit" }));
  return {
    pids: children.map((spawned) => spawned.pid),
    startAt,
    async stop() {
      for (const spawned of children) spawned.kill("SIGTERM");
      return Promise.all(
        children.map(async (spawned) => {
          const output = (await new Response(spawned.stdout).text()).trim();
          if ((await spawned.exited) !== 0) throw new Error(`a fleet process exited with ${spawned.exitCode}: ${output}`);
          return JSON.parse(output.split("\n").at(-1)!) as FleetProcessReport;
        }),
      );
    },
  };
}

export interface SlotRun {
  id: string;
  orgId: string;
  status: string;
  attempt: number;
  createdAt: Date;
  finishedAt: Date | null;
}

export const runsForSlot = (db: Db, slot: Date): Promise<SlotRun[]> =>
  db
    .select({
      id: syncRuns.id,
      orgId: syncRuns.orgId,
      status: syncRuns.status,
      attempt: syncRuns.attempt,
      createdAt: syncRuns.createdAt,
      finishedAt: syncRuns.finishedAt,
    })
    .from(syncRuns)
    .where(eq(syncRuns.slot, slot));

/** Waits until every one of `orgIds` has a finished run for `slot`, or `timeoutMs` passes. */
export async function waitForSlot(db: Db, input: { orgIds: string[]; slot: Date; timeoutMs: number }): Promise<void> {
  const until = Date.now() + input.timeoutMs;
  for (;;) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(distinct org_id)::int as n from sync_runs where slot = ${input.slot.toISOString()}::timestamptz and finished_at is not null`,
    );
    if (Number(row!.n) >= input.orgIds.length) return;
    if (Date.now() > until) throw new Error(`after ${input.timeoutMs} ms only ${row!.n} of ${input.orgIds.length} slots had finished`);
    await Bun.sleep(250);
  }
}

/**
 * The most runs that overlapped in time, from the run records themselves (created to
 * finished): a second view of a process's concurrency besides its own count.
 */
export async function peakOverlap(db: Db, runIds: string[]): Promise<number> {
  if (!runIds.length) return 0;
  const runs = await db.select({ createdAt: syncRuns.createdAt, finishedAt: syncRuns.finishedAt }).from(syncRuns).where(inArray(syncRuns.id, runIds));
  const edges = runs.flatMap((run) => [
    { at: run.createdAt.getTime(), step: 1 },
    { at: (run.finishedAt ?? new Date(8.64e15)).getTime(), step: -1 },
  ]);
  // At equal times a run that ends is counted before one that starts.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let peak = 0;
  for (const edge of edges) {
    open += edge.step;
    peak = Math.max(peak, open);
  }
  return peak;
}
