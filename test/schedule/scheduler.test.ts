/**
 * The scheduler: a slot that has just passed starts one scheduled run, once; a run whose
 * process died is failed and retried once; stopping waits for the running sync; and three
 * processes ticking together on one Postgres create exactly one run for one slot.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { organizations, syncRuns } from "../../src/db/schema/index.ts";
import { createScheduler } from "../../src/schedule/scheduler.ts";
import { SLOT_GRACE_MS } from "../../src/schedule/slots.ts";
import { createSyncService } from "../../src/sync/run/service.ts";
import { testDatabaseUrl } from "../helpers/db.ts";
import { createSyncHarness, type SyncHarness } from "../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const SLOT = new Date("2026-12-02T02:00:00Z");
const minutesAfter = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

async function scheduledHarness(schedule: Record<string, unknown> = {}) {
  const h = await createSyncHarness({ learners: 20 });
  await h.settings({ scheduleEnabled: true, frequency: "daily", timeOfDay: "02:00", ...schedule });
  return h;
}

const runsOf = (h: SyncHarness) => h.database.db.select().from(syncRuns).where(eq(syncRuns.orgId, h.orgId));

describe("slots", () => {
  test("just after a daily slot one scheduled run starts, and a second tick starts no other", async () => {
    harness = await scheduledHarness();
    let clock = minutesAfter(SLOT, 1);
    const sync = createSyncService(harness.deps);
    const scheduler = createScheduler(sync, { now: () => clock });
    const first = await scheduler.tick();
    expect(first.started.length).toBe(1);
    await sync.idle();
    clock = minutesAfter(SLOT, 2);
    expect((await scheduler.tick()).started).toEqual([]);
    const runs = await runsOf(harness);
    expect(runs.length).toBe(1);
    expect(runs[0]!).toMatchObject({ trigger: "scheduled", status: "succeeded", attempt: 1 });
    expect(runs[0]!.slot!.toISOString()).toBe(SLOT.toISOString());
  });

  test("before the slot, with the schedule off, or after a missed slot's deadline, nothing starts", async () => {
    harness = await scheduledHarness();
    const sync = createSyncService(harness.deps);
    expect((await createScheduler(sync, { now: () => minutesAfter(SLOT, -1) }).tick()).started).toEqual([]);
    // 02:00 is inside the off-peak window (22:00 to 05:00), so it may start until 05:00.
    expect((await createScheduler(sync, { now: () => new Date("2026-12-02T05:01:00Z") }).tick()).started).toEqual([]);
    // 14:00 is outside it: within SLOT_GRACE_MS only.
    await harness.settings({ frequency: "weekly", weekday: 3, timeOfDay: "14:00" });
    const afternoon = new Date("2026-12-02T14:00:00Z");
    expect((await createScheduler(sync, { now: () => new Date(afternoon.getTime() + SLOT_GRACE_MS + 60_000) }).tick()).started).toEqual([]);
    await harness.settings({ scheduleEnabled: false });
    expect((await createScheduler(sync, { now: () => minutesAfter(SLOT, 1) }).tick()).started).toEqual([]);
    expect((await runsOf(harness)).length).toBe(0);
  });

  test("weekly and monthly schedules start on their day only, in the organization's time zone", async () => {
    // 2026-12-02 is a Wednesday (3). 02:00 in New York is 07:00 UTC.
    harness = await scheduledHarness({ frequency: "weekly", weekday: 3 });
    await harness.database.db.update(organizations).set({ timeZone: "America/New_York" }).where(eq(organizations.id, harness.orgId));
    const sync = createSyncService(harness.deps);
    const newYorkSlot = new Date("2026-12-02T07:00:00Z");
    expect((await createScheduler(sync, { now: () => minutesAfter(SLOT, 1) }).tick()).started).toEqual([]);
    expect((await createScheduler(sync, { now: () => minutesAfter(newYorkSlot, 1) }).tick()).started.length).toBe(1);
    await sync.idle();
    await harness.settings({ frequency: "monthly", monthDay: 3 });
    expect((await createScheduler(sync, { now: () => minutesAfter(new Date("2026-12-03T07:00:00Z"), 1) }).tick()).started.length).toBe(1);
    await sync.idle();
    expect((await createScheduler(sync, { now: () => minutesAfter(new Date("2026-12-04T07:00:00Z"), 1) }).tick()).started).toEqual([]);
  });
});

describe("a run whose process died", () => {
  test("is marked failed when its lease runs out, and retried once", async () => {
    harness = await scheduledHarness();
    const [dead] = await harness.database.db
      .insert(syncRuns)
      .values({
        orgId: harness.orgId,
        source: "oneroster",
        trigger: "scheduled",
        status: "fetching",
        slot: SLOT,
        attempt: 1,
        leaseOwner: "gone",
        leaseExpiresAt: new Date(Date.now() - 60_000),
      })
      .returning();
    const clock = minutesAfter(SLOT, 5);
    const sync = createSyncService(harness.deps);
    const scheduler = createScheduler(sync, { now: () => clock });
    const tick = await scheduler.tick();
    expect(tick.retried.length).toBe(1);
    expect(tick.started).toEqual([]);
    await sync.idle();
    const [failed] = await harness.database.db.select().from(syncRuns).where(eq(syncRuns.id, dead!.id));
    expect(failed!.status).toBe("failed");
    expect(failed!.errorMessage).toContain("the process running it stopped");
    const [retry] = await harness.database.db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.orgId, harness.orgId), eq(syncRuns.attempt, 2)));
    expect(retry!).toMatchObject({ retryOf: dead!.id, status: "succeeded", trigger: "scheduled" });

    // Only once: a retry that also dies is not retried again.
    await harness.database.db
      .update(syncRuns)
      .set({ status: "fetching", leaseExpiresAt: new Date(Date.now() - 60_000) })
      .where(eq(syncRuns.id, retry!.id));
    expect((await scheduler.tick()).retried).toEqual([]);
    expect((await runsOf(harness)).length).toBe(2);
  });
});

test("stopping waits for the sync the scheduler started", async () => {
  harness = await scheduledHarness();
  const sync = createSyncService(harness.deps);
  const scheduler = createScheduler(sync, { now: () => minutesAfter(SLOT, 1) });
  const { started } = await scheduler.tick();
  await scheduler.stop();
  const [run] = await harness.database.db.select().from(syncRuns).where(eq(syncRuns.id, started[0]!));
  expect(run!.status).toBe("succeeded");
  expect(sync.running).toBe(0);
});

describe.skipIf(!testDatabaseUrl)("three processes (Postgres)", () => {
  test("three processes ticking at once for one slot create exactly one run", async () => {
    harness = await scheduledHarness();
    const child = new URL("./child-scheduler.ts", import.meta.url).pathname;
    const startAt = Date.now() + 1500;
    const processes = [0, 1, 2].map(() =>
      Bun.spawn([process.execPath, child, harness!.database.url!, minutesAfter(SLOT, 1).toISOString(), String(startAt)], { stdout: "pipe", stderr: "inherit" }),
    );
    const outputs = await Promise.all(
      processes.map(async (spawned) => JSON.parse((await new Response(spawned.stdout).text()).trim()) as { started: string[] }),
    );
    expect(outputs.reduce((total, output) => total + output.started.length, 0)).toBe(1);
    const runs = await runsOf(harness);
    expect(runs.length).toBe(1);
    expect(runs[0]!.status).toBe("succeeded");
  });
});
