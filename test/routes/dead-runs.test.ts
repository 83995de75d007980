/**
 * A run whose process died (its lease ran out while it was applying), with no scheduler
 * running: the sync page fails it with the reason, and Sync Now works at once.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { syncRuns } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function organizationWithDeadRun() {
  const { orgId, email } = await createOrgWithUser(t);
  const cookie = await signInAs(t, email);
  await saveConnection(t.database.db, {
    orgId,
    details: { source: "oneroster", kind: "file", path: "/nowhere/roster.zip" },
    secret: null,
    encryptionKey: t.deps.config.encryptionKey,
  });
  // An earlier sync changed the roster, so Sync Now is not a first sync (which is previewed).
  await t.database.db.insert(syncRuns).values({
    orgId,
    source: "oneroster",
    trigger: "scheduled",
    status: "succeeded",
    finishedAt: new Date(),
    createdAt: new Date(Date.now() - 4 * 86_400_000),
  });
  const [dead] = await t.database.db
    .insert(syncRuns)
    .values({
      orgId,
      source: "oneroster",
      trigger: "sync_now",
      status: "applying",
      leaseOwner: "a-process-that-died",
      leaseExpiresAt: new Date(Date.now() - 60_000),
      progress: { phase: "applying" },
      createdAt: new Date(Date.now() - 3 * 86_400_000),
    })
    .returning();
  return { orgId, cookie, deadId: dead!.id };
}

const statusOf = async (runId: string) => (await t.database.db.select().from(syncRuns).where(eq(syncRuns.id, runId)))[0]!;

test("Sync Now works at once, and the dead run shows as failed with the reason", async () => {
  const { cookie, deadId } = await organizationWithDeadRun();
  const started = await formPost(t, "/sync/now", {}, { cookie });
  expect(started.status).toBe(200);
  expect(await started.text()).toContain("The sync has started");
  await t.deps.sync.idle();
  const dead = await statusOf(deadId);
  expect(dead.status).toBe("failed");
  expect(dead.errorMessage).toContain("the process running it stopped");
  const page = await (await get(t, `/sync/runs/${deadId}`, cookie)).text();
  expect(page).toContain("the process running it stopped");
});

test("opening the sync page is enough to fail it, and the page offers Sync Now", async () => {
  const { cookie, deadId } = await organizationWithDeadRun();
  const page = await (await get(t, "/sync", cookie)).text();
  expect(page).toContain("the process running it stopped");
  expect(page).toMatch(/<button type="submit" aria-describedby="sync-now-why">Sync now<\/button>/);
  expect((await statusOf(deadId)).status).toBe("failed");
});

test("a run whose lease is still alive is left running, and Sync Now waits for it", async () => {
  const { orgId, cookie } = await organizationWithDeadRun();
  await t.database.db.update(syncRuns).set({ status: "failed" }).where(eq(syncRuns.orgId, orgId));
  const [alive] = await t.database.db
    .insert(syncRuns)
    .values({
      orgId,
      source: "oneroster",
      trigger: "scheduled",
      status: "applying",
      leaseOwner: "a-live-process",
      leaseExpiresAt: new Date(Date.now() + 60_000),
    })
    .returning();
  const refused = await formPost(t, "/sync/now", {}, { cookie });
  expect(refused.status).toBe(409);
  expect((await statusOf(alive!.id)).status).toBe("applying");
});

test("a sync started from the command line (the same start the CLI makes) fails the dead run and goes on", async () => {
  const { orgId, deadId } = await organizationWithDeadRun();
  const outcome = await syncOrganization(t.deps.sync.deps, { orgId, trigger: "cli" });
  expect(outcome.runId).not.toBe(deadId);
  const dead = await statusOf(deadId);
  expect(dead.status).toBe("failed");
  expect(dead.errorMessage).toContain("the process running it stopped");
});
