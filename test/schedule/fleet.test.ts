/**
 * Bounded concurrency (SYNC_CONCURRENCY): a process never starts a scheduled sync while it runs
 * as many as its bound; the slots it has no room for wait unclaimed, start later inside the
 * off-peak window (in this process or another with room), and are recorded as missed, once,
 * when the window ends first. Then real child processes on one Postgres: every slot exactly once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { syncRuns, syncSettings } from "../../src/db/schema/index.ts";
import { ensureProducts } from "../../src/products.ts";
import { createScheduler } from "../../src/schedule/scheduler.ts";
import { createSyncDeps } from "../../src/sync/run/deps.ts";
import { MISSED_SLOT_MESSAGE, type SyncDeps } from "../../src/sync/run/lifecycle.ts";
import { createSyncService } from "../../src/sync/run/service.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from "../helpers/db.ts";
import {
  countingService,
  FLEET_ENCRYPTION_KEY,
  peakOverlap,
  runsForSlot,
  scheduledOrganizations,
  startFleet,
  waitForSlot,
  writeRosterZip,
} from "../helpers/fleet.ts";
import { makeDistrict, readerFor } from "../helpers/sync-harness.ts";

const SLOT = new Date("2026-12-02T02:00:00Z");
const at = (iso: string) => new Date(iso);
const directory = mkdtempSync(join(tmpdir(), "rollcall-fleet-test-"));
const zipPath = join(directory, "district.zip");

beforeAll(() =>
  writeRosterZip(zipPath, (sink) =>
    readerFor(makeDistrict(30))({ orgId: "", details: { source: "oneroster", kind: "file", path: "" }, secret: null, cursor: null }, sink, {}),
  ),
);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function fleetDatabase(count: number): Promise<{ database: TestDatabase; orgIds: string[] }> {
  const database = await createTestDatabase();
  await ensureProducts(database.db);
  const orgIds = await scheduledOrganizations(database.db, { count, zipPath, timeOfDay: "02:00" });
  return { database, orgIds };
}

const appDeps = (database: TestDatabase): SyncDeps =>
  createSyncDeps({ database, config: { encryptionKey: FLEET_ENCRYPTION_KEY }, logger: silentLogger, appUrl: "http://localhost" });

/** Reads wait until `open()`: syncs that stay running while a test looks at the schedule. */
function heldReads(deps: SyncDeps) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { deps: { ...deps, readSource: async (...args: Parameters<SyncDeps["readSource"]>) => gate.then(() => deps.readSource(...args)) }, open };
}

describe("one process", () => {
  test("with concurrency 1 five due slots run one at a time, each once, none lost", async () => {
    const { database, orgIds } = await fleetDatabase(5);
    try {
      const sync = countingService(createSyncService(appDeps(database)));
      const scheduler = createScheduler(sync.service, { now: () => at("2026-12-02T02:01:00Z"), concurrency: 1 });
      const first = await scheduler.tick();
      expect(first.started.length).toBe(1);
      expect(sync.service.running).toBe(1);
      // The others start as each sync ends, not at the next tick.
      await waitForSlot(database.db, { orgIds, slot: SLOT, timeoutMs: 30_000 });
      await scheduler.stop();
      const runs = await runsForSlot(database.db, SLOT);
      expect(runs.map((run) => run.orgId).toSorted()).toEqual(orgIds.toSorted());
      expect(runs.every((run) => run.status === "succeeded" && run.attempt === 1)).toBe(true);
      expect(sync.peak()).toBe(1);
      expect(sync.started.toSorted()).toEqual(runs.map((run) => run.id).toSorted());
      expect(
        await peakOverlap(
          database.db,
          runs.map((run) => run.id),
        ),
      ).toBe(1);
    } finally {
      await database.close();
    }
  });

  test("a slot that waits still starts later inside the off-peak window, and not once the window has ended", async () => {
    const { database, orgIds } = await fleetDatabase(1);
    try {
      const sync = createSyncService(appDeps(database));
      // 02:00 is in the window 22:00 to 05:00: at 04:30 it may still start; at 05:01 it may not.
      expect((await createScheduler(sync, { now: () => at("2026-12-02T05:01:00Z") }).tick()).started).toEqual([]);
      expect((await createScheduler(sync, { now: () => at("2026-12-02T04:30:00Z") }).tick()).started.length).toBe(1);
      await sync.idle();
      const runs = await runsForSlot(database.db, SLOT);
      expect(runs.map((run) => [run.orgId, run.status])).toEqual([[orgIds[0]!, "succeeded"]]);
    } finally {
      await database.close();
    }
  });

  test("a full process leaves a due slot unclaimed, and another with room takes it", async () => {
    const { database } = await fleetDatabase(2);
    try {
      const held = heldReads(appDeps(database));
      const busy = createSyncService(held.deps);
      const idle = createSyncService(appDeps(database));
      const clock = () => at("2026-12-02T02:01:00Z");
      const busyScheduler = createScheduler(busy, { now: clock, concurrency: 1 });
      const idleScheduler = createScheduler(idle, { now: clock, concurrency: 1 });
      expect((await busyScheduler.tick()).started.length).toBe(1);
      expect((await runsForSlot(database.db, SLOT)).length).toBe(1);
      expect((await idleScheduler.tick()).started.length).toBe(1);
      held.open();
      await busyScheduler.stop();
      await idleScheduler.stop();
      const runs = await runsForSlot(database.db, SLOT);
      expect(runs.length).toBe(2);
      expect(new Set(runs.map((run) => run.orgId)).size).toBe(2);
      expect(runs.every((run) => run.status === "succeeded")).toBe(true);
    } finally {
      await database.close();
    }
  });

  test("a slot that no process had room for before the window ended is recorded as missed, once; one whose schedule was turned off is not", async () => {
    const { database, orgIds } = await fleetDatabase(4);
    try {
      const held = heldReads(appDeps(database));
      let clock = at("2026-12-02T04:58:00Z");
      // Two processes, each busy with one sync; the other two slots wait in both.
      const services = [createSyncService(held.deps), createSyncService(held.deps)];
      const schedulers = services.map((sync) => createScheduler(sync, { now: () => clock, concurrency: 1 }));
      for (const scheduler of schedulers) expect((await scheduler.tick()).started.length).toBe(1);
      const running = new Set((await runsForSlot(database.db, SLOT)).map((run) => run.orgId));
      const [waits, turnedOff] = orgIds.filter((id) => !running.has(id));
      await database.db.update(syncSettings).set({ scheduleEnabled: false }).where(eq(syncSettings.orgId, turnedOff!));
      clock = at("2026-12-02T05:01:00Z");
      const missed = [];
      for (const scheduler of schedulers) missed.push(...(await scheduler.tick()).missed);
      expect(missed.length).toBe(1);
      for (const scheduler of schedulers) expect((await scheduler.tick()).missed).toEqual([]);
      held.open();
      for (const scheduler of schedulers) await scheduler.stop();
      const runs = await runsForSlot(database.db, SLOT);
      expect(runs.map((run) => run.orgId).toSorted()).toEqual([...running, waits!].toSorted());
      const failed = runs.filter((run) => run.status === "failed");
      expect(failed.map((run) => [run.id, run.orgId])).toEqual([[missed[0]!, waits!]]);
      expect(runs.filter((run) => run.status === "succeeded").length).toBe(2);
      const [row] = await database.db.select().from(syncRuns).where(eq(syncRuns.id, missed[0]!));
      expect(row!.errorMessage).toBe(MISSED_SLOT_MESSAGE);
      expect(row!.trigger).toBe("scheduled");
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(!testDatabaseUrl)("three processes (Postgres)", () => {
  test("three app processes with concurrency 1 run each of 24 slots exactly once, never two syncs at once in one process", async () => {
    const { database, orgIds } = await fleetDatabase(24);
    try {
      const fleet = startFleet({ url: database.url!, processes: 3, concurrency: 1, clock: at("2026-12-02T02:00:30Z") });
      await waitForSlot(database.db, { orgIds, slot: SLOT, timeoutMs: 50_000 });
      const reports = await fleet.stop();
      const runs = await runsForSlot(database.db, SLOT);
      expect(runs.length).toBe(orgIds.length);
      expect(runs.map((run) => run.orgId).toSorted()).toEqual(orgIds.toSorted());
      expect(runs.every((run) => run.status === "succeeded")).toBe(true);
      expect(reports.flatMap((report) => report.started).toSorted()).toEqual(runs.map((run) => run.id).toSorted());
      for (const report of reports) {
        expect(report.peakRunning).toBeLessThanOrEqual(1);
        expect(await peakOverlap(database.db, report.started)).toBeLessThanOrEqual(1);
      }
      // The work is shared: no process sat idle while slots waited.
      expect(reports.filter((report) => report.started.length > 0).length).toBeGreaterThan(1);
    } finally {
      await database.close();
    }
  }, 90_000);
});
