/**
 * One matcher case in its own process, so its peak memory is its own. Prints one JSON line:
 * time to match, resident memory before matching (the input records) and the peak.
 *   bun match-case.ts k12 SIZE STABLE_SHARE
 */
import { writeFileSync } from "node:fs";
import { matchRecords } from "../../src/sync/match/index.ts";
import { population } from "./k12-population.ts";
import { accuracy } from "./match-data.ts";
import { rssMb, settle } from "./resident-memory.ts";

const [, size, stable] = process.argv.slice(2);
const pop = population({ size: Number(size), stableIds: Number(stable) });
Bun.gc(true);
const unsettledMb = rssMb("VmRSS");
const settledS = settle();
// The peak from here on is the matcher's (with the input it is given), not the generator's.
writeFileSync("/proc/self/clear_refs", "5");
const before = rssMb("VmRSS");
const started = performance.now();
const results = matchRecords(pop.incoming, pop.existing);
const ms = performance.now() - started;
const peak = rssMb("VmHWM");
const byIncoming = new Map(results.map((result) => [result.incomingId, result]));
const twinsMerged = pop.twins.filter(
  ([a, b]) => byIncoming.get(a.replace("e", "i"))?.existingId === b || byIncoming.get(b.replace("e", "i"))?.existingId === a,
).length;
const scored = accuracy(results, pop.truth, new Set(pop.existing.map((record) => record.id)));
console.log(
  JSON.stringify({
    ms,
    inputMb: before,
    unsettledMb,
    settledS,
    peakMb: peak,
    growthMb: peak - before,
    precision: scored.precision,
    recall: scored.recall,
    twins: pop.twins.length,
    twinsMerged,
  }),
);
