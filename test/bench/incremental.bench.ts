/**
 * Incremental reads against Postgres (issue 21, acceptance 1): a district synced in full, then
 * 1% of its learners changed and re-synced by a full read, then another 1% changed and synced
 * by the scheduled sync's incremental read (only the changed records, as Clever's events bring
 * them), then an incremental read with nothing changed. Target: the incremental sync at most
 * 0.1x the full-read re-sync of the same change, measured in this run, writing only the
 * changed rows; with nothing changed, nothing written.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- incremental
 *   ROLLCALL_BENCH_LEARNERS=100000 for a quicker run (default 1,000,000).
 */
import { silentLogger } from "../../src/lib/log.ts";
import { createSyncDeps } from "../../src/sync/run/deps.ts";
import { type SyncDeps, syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { ENCRYPTION_KEY, freshDatabase, newOrganization, peak, rowsWrittenBy, timed } from "./sync-bench-db.ts";
import { type DistrictShape, readDistrict, readDistrictChanges } from "./sync-district.ts";

const learners = Number(process.env.ROLLCALL_BENCH_LEARNERS ?? 1_000_000);
const TARGET = 0.1;

const bench = await freshDatabase("incremental");
const { database } = bench;
const shape: DistrictShape = { learners };
let reads = 0;
const deps: SyncDeps = {
  ...createSyncDeps({ database, config: { encryptionKey: ENCRYPTION_KEY }, logger: silentLogger, appUrl: "http://localhost" }),
  // A source that can read only what changed: the run decides which read it asks for.
  readSource: async (_connection, sink, options) => {
    const cursor = `cursor-${++reads}`;
    return options.changesOnly ? readDistrictChanges(shape, sink, cursor) : { ...(await readDistrict(shape, sink)), cursor };
  },
};
// A Clever district: a connection that can be asked for only what changed.
const orgId = await newOrganization(database, `Incremental ${learners}`, { source: "clever", districtId: "5f0dd3e0000000000000be4c" });
const sync = async (trigger: "scheduled" | "sync_now") => {
  const step = await timed(() => syncOrganization(deps, { orgId, trigger }));
  if (step.value.status !== "succeeded") throw new Error(`${trigger} sync ${step.value.status}: ${step.value.errorMessage}`);
  return { ...step, rows: await rowsWrittenBy(database, step.value.runId) };
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(
  `incremental benchmark on Postgres; ${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores; ${learners.toLocaleString("en")} learners`,
);
const first = await sync("scheduled");
console.log(`first sync (a full read): ${seconds(first.ms)}, ${first.rows.toLocaleString("en")} rows, ${peak(first)}`);

shape.renameEvery = 100;
shape.renameTag = "-Moved";
const full = await sync("sync_now");
const changed = full.value.counts!.learners.Synced;
console.log(
  `1% changed, full read: ${seconds(full.ms)}, ${full.rows.toLocaleString("en")} rows for ${changed.toLocaleString("en")} changed learners, ${peak(full)}`,
);

shape.renameTag = "-Again";
const incremental = await sync("scheduled");
const incrementalChanged = incremental.value.counts!.learners.Synced;
console.log(
  `1% changed, incremental read: ${seconds(incremental.ms)}, ${incremental.rows.toLocaleString("en")} rows for ${incrementalChanged.toLocaleString("en")} changed learners, ${peak(incremental)}`,
);

const nothing = await sync("scheduled");
console.log(`nothing changed, incremental read: ${seconds(nothing.ms)}, ${nothing.rows} rows written, ${peak(nothing)}`);

const ratio = incremental.ms / full.ms;
console.log(`incremental / full read of the same change: ${ratio.toFixed(3)}x (target at most ${TARGET}x)`);
const failures = [
  ratio > TARGET ? `the incremental sync took ${ratio.toFixed(3)}x the full read` : "",
  incrementalChanged !== changed ? `the incremental sync changed ${incrementalChanged} learners, the full read ${changed}` : "",
  incremental.rows !== incrementalChanged ? `the incremental sync wrote ${incremental.rows} rows for ${incrementalChanged} changed learners` : "",
  nothing.rows !== 0 ? `with nothing changed, the incremental sync wrote ${nothing.rows} rows` : "",
].filter(Boolean);
await bench.drop();
if (failures.length) {
  console.log(`FAILED: ${failures.join("; ")}`);
  process.exitCode = 1;
}
