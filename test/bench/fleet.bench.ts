/**
 * A vendor's fleet (issue 21, acceptance 4): 2,000 organizations of 500 learners each, all
 * scheduled daily at 02:00 (inside the off-peak window, 22:00 to 05:00), worked by three app
 * processes (test/schedule/fleet-process.ts: the real scheduler and sync service, reading
 * each organization's OneRoster zip through the real connection reader) against one Postgres
 * database. Every organization is its own district reading one shared zip. The processes'
 * clock reads 02:00 when they first tick together, then moves with real time.
 *
 * Reports: every slot exactly once (from sync_runs), the total time, the slowest start delay
 * (a run's start minus the slot), each process's peak memory (VmHWM), and the most syncs each
 * ran at once, against the bound.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- fleet
 *   ROLLCALL_BENCH_FLEET_ORGS=100 ROLLCALL_BENCH_FLEET_LEARNERS=500 for a quick run;
 *   ROLLCALL_BENCH_FLEET_PROCESSES (3) and ROLLCALL_BENCH_FLEET_CONCURRENCY (2, the default
 *   of SYNC_CONCURRENCY) to try others.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peakOverlap, runsForSlot, scheduledOrganizations, startFleet, waitForSlot, writeRosterZip } from "../helpers/fleet.ts";
import { freshDatabase } from "./sync-bench-db.ts";
import { readDistrict } from "./sync-district.ts";

const ORGS = Number(process.env.ROLLCALL_BENCH_FLEET_ORGS ?? 2000);
const LEARNERS = Number(process.env.ROLLCALL_BENCH_FLEET_LEARNERS ?? 500);
const PROCESSES = Number(process.env.ROLLCALL_BENCH_FLEET_PROCESSES ?? 3);
const CONCURRENCY = Number(process.env.ROLLCALL_BENCH_FLEET_CONCURRENCY ?? 2);
const MEMORY_TARGET_MB = 1536;
const SLOT = new Date("2026-12-06T02:00:00Z");
/** The off-peak window ends at 05:00: a slot not started by then is missed. */
const WINDOW_MS = 3 * 60 * 60_000;

const bench = await freshDatabase("fleet");
const { database, url } = bench;
const directory = mkdtempSync(join(tmpdir(), "rollcall-bench-fleet-"));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

console.log(`fleet benchmark on Postgres; ${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores`);
try {
  const zipPath = join(directory, "district.zip");
  await writeRosterZip(zipPath, (sink) => readDistrict({ learners: LEARNERS }, sink));
  const made = performance.now();
  const orgIds = await scheduledOrganizations(database.db, { count: ORGS, zipPath, timeOfDay: "02:00" });
  console.log(
    `${ORGS.toLocaleString("en")} organizations of ${LEARNERS} learners (one ${(statSync(zipPath).size / 1024).toFixed(0)} KB zip) made in ${seconds(performance.now() - made)}; ` +
      `${PROCESSES} processes, SYNC_CONCURRENCY ${CONCURRENCY}`,
  );

  const fleet = startFleet({ url, processes: PROCESSES, concurrency: CONCURRENCY, clock: SLOT });
  await waitForSlot(database.db, { orgIds, slot: SLOT, timeoutMs: WINDOW_MS + 60_000 });
  const reports = await fleet.stop();

  const runs = await runsForSlot(database.db, SLOT);
  const byOrg = new Map<string, number>();
  for (const run of runs) byOrg.set(run.orgId, (byOrg.get(run.orgId) ?? 0) + 1);
  const failed = runs.filter((run) => run.status !== "succeeded");
  const exactlyOnce = runs.length === ORGS && byOrg.size === ORGS && [...byOrg.values()].every((count) => count === 1) && failed.length === 0;
  const slowestStart = Math.max(...runs.map((run) => run.createdAt.getTime())) - fleet.startAt;
  const total = Math.max(...runs.map((run) => run.finishedAt!.getTime())) - fleet.startAt;
  console.log(
    `sync_runs for the slot: ${runs.length.toLocaleString("en")} runs for ${byOrg.size.toLocaleString("en")} organizations, ${failed.length} not succeeded ` +
      `(${failed.map((run) => run.status).join(", ") || "none"}): every slot exactly once ${exactlyOnce ? "(met)" : "(NOT met)"}`,
  );
  console.log(
    `total ${seconds(total)} from the slot to the last sync's end (${(ORGS / (total / 1000)).toFixed(1)} syncs/s); slowest start delay ${seconds(slowestStart)} ` +
      `(the window leaves ${WINDOW_MS / 3_600_000} h)`,
  );
  let withinBounds = true;
  for (const [index, report] of reports.entries()) {
    const overlap = await peakOverlap(database.db, report.started);
    withinBounds &&= report.peakRunning <= CONCURRENCY && overlap <= CONCURRENCY && report.peakMemoryMb <= MEMORY_TARGET_MB;
    console.log(
      `process ${index + 1}: ${report.started.length.toLocaleString("en")} syncs, at most ${report.peakRunning} at once by its own count and ${overlap} by the run records ` +
        `(bound ${CONCURRENCY}); peak memory ${Math.round(report.peakMemoryMb)} MB (target under ${MEMORY_TARGET_MB} MB)`,
    );
  }
  console.log(`targets: every slot exactly once; no process over its bound or 1.5 GB: ${exactlyOnce && withinBounds ? "met" : "NOT met"}`);
  if (!exactlyOnce || !withinBounds) process.exitCode = 1;
} finally {
  await bench.drop();
  rmSync(directory, { recursive: true, force: true });
}
