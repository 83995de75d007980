/**
 * One step of the OneRoster read benchmark in its own process; prints one JSON line.
 *   bun oneroster-case.ts write LEARNERS PATH   writes the generated district as a zip
 *   bun oneroster-case.ts read PATH             reads it, counting only
 */
import { readFileSync, statSync } from "node:fs";
import { OneRosterZipWriter } from "../../src/roster/oneroster-zip.ts";
import { CountingSink } from "../../src/roster/snapshot.ts";
import { readOneRosterZip } from "../../src/sources/oneroster/index.ts";
import { readDistrict } from "./sync-district.ts";

const peakMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;
const [step, ...args] = process.argv.slice(2);
const started = performance.now();
if (step === "write") {
  const [learners, path] = args;
  const writer = new OneRosterZipWriter();
  await readDistrict({ learners: Number(learners) }, writer);
  await writer.finish(path!);
  console.log(JSON.stringify({ ms: performance.now() - started, peakMb: peakMb(), zipMb: statSync(path!).size / 1024 / 1024 }));
} else {
  const sink = new CountingSink();
  await readOneRosterZip(args[0]!, sink);
  console.log(JSON.stringify({ ms: performance.now() - started, peakMb: peakMb(), counts: sink.counts, problems: sink.problems.length }));
}
