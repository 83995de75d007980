/**
 * Crash safety (issue 5, acceptance 3) and one run per organization (acceptance 4), with real
 * processes on Postgres. A child applying a large plan is killed with SIGKILL at random moments;
 * the roster must then be exactly as before the run or exactly as after it, never in between,
 * and a new run must converge to the after state.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { syncRuns } from "../../../src/db/schema/index.ts";
import { failStaleRuns } from "../../../src/sync/run/lifecycle.ts";
import { testDatabaseUrl } from "../../helpers/db.ts";
import { createSyncHarness, districtVersion, readerFor, type SyncHarness, visibleRoster } from "../../helpers/sync-harness.ts";

const child = fileURLToPath(new URL("./child-sync.ts", import.meta.url));
const BASE = 3000;
const KILLS = 20;
const harnesses: SyncHarness[] = [];
afterAll(async () => {
  for (const harness of harnesses) await harness.close();
});

function spawnSync(harness: SyncHarness, version: 1 | 2) {
  return Bun.spawn([process.execPath, child, harness.database.url!, harness.orgId, String(BASE), String(version)], { stdout: "pipe", stderr: "inherit" });
}

async function outcomeOf(process: ReturnType<typeof spawnSync>): Promise<{ status?: string; error?: string }> {
  const text = await new Response(process.stdout).text();
  await process.exited;
  return text.trim() ? JSON.parse(text.trim().split("\n").at(-1)!) : {};
}

async function versionOneHarness(): Promise<SyncHarness> {
  const harness = await createSyncHarness({ learners: BASE });
  harnesses.push(harness);
  await harness.settings({ allowRemoval: true });
  expect((await harness.sync()).status).toBe("succeeded");
  return harness;
}

/** Fails the killed child's run at once, as another process would once its lease ran out. */
async function expireLeases(harness: SyncHarness): Promise<void> {
  await failStaleRuns({ ...harness.deps, now: () => new Date(Date.now() + 10 * 60_000) }, harness.orgId);
}

describe.skipIf(!testDatabaseUrl)("crash safety on Postgres", () => {
  test(`a sync killed at ${KILLS} random moments leaves the roster before or after, and converges`, async () => {
    // The two allowed states, and how long an undisturbed child takes.
    const reference = await versionOneHarness();
    const before = await visibleRoster(reference.database, reference.orgId);
    const started = performance.now();
    expect((await outcomeOf(spawnSync(reference, 2))).status).toBe("succeeded");
    const duration = performance.now() - started;
    const after = await visibleRoster(reference.database, reference.orgId);
    expect(after).not.toEqual(before);

    const seen = { before: 0, after: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      const harness = await versionOneHarness();
      const process = spawnSync(harness, 2);
      await Bun.sleep(duration * (0.15 + Math.random() * 0.9));
      process.kill("SIGKILL");
      await process.exited;
      const state = await visibleRoster(harness.database, harness.orgId);
      const which = Bun.deepEquals(state, before) ? "before" : Bun.deepEquals(state, after) ? "after" : "neither";
      expect(which).not.toBe("neither");
      seen[which as "before" | "after"]++;

      await expireLeases(harness);
      harness.deps.readSource = readerFor(districtVersion(BASE, 2));
      const rerun = await harness.sync();
      expect(rerun.status).toBe("succeeded");
      expect(await visibleRoster(harness.database, harness.orgId)).toEqual(after);
      await harness.close();
      harnesses.splice(harnesses.indexOf(harness), 1);
    }
    console.log(`crash test: ${KILLS} kills over a ${Math.round(duration)} ms run: ${seen.before} left the roster as before, ${seen.after} as after`);
  }, 600_000);

  test("two processes asking to sync one organization at once produce exactly one run", async () => {
    const harness = await createSyncHarness({ learners: 0 });
    harnesses.push(harness);
    const outcomes = await Promise.all([spawnSync(harness, 1), spawnSync(harness, 1)].map(outcomeOf));
    const runs = await harness.database.db.select().from(syncRuns).where(eq(syncRuns.orgId, harness.orgId));
    expect(runs).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === "succeeded")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.error === "RunInProgressError")).toHaveLength(1);
  }, 120_000);
});
