/**
 * Reading the demo district's Clever-compatible API at scale (issue 3, acceptance 5): the
 * server (in its own process) serves a generated district of 1M learners, 50k teachers and
 * 250k sections with 5M student places; this process reads it with the Clever connector,
 * counting only, and reports time and its own peak memory.
 *
 *   npm run bench -- clever            ROLLCALL_BENCH_CLEVER_SIZES=50000 to choose sizes
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CountingSink } from "../../src/roster/snapshot.ts";
import { readClever } from "../../src/sources/clever/index.ts";
import { BENCH_DISTRICT_ID } from "./clever-district.ts";

const credentials = { clientId: "bench-client", clientSecret: "bench-secret" };
const sizes = (process.env.ROLLCALL_BENCH_CLEVER_SIZES ?? "50000,1000000").split(",").map(Number);
const peakMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;

console.log(`Clever read benchmark; ${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores`);
for (const learners of sizes) {
  const server = Bun.spawn([process.execPath, join(import.meta.dir, "clever-server.ts"), String(learners)], { stdout: "pipe", stderr: "inherit" });
  const reader = server.stdout.getReader();
  const url = new TextDecoder().decode((await reader.read()).value).trim();
  try {
    const sink = new CountingSink();
    const started = performance.now();
    await readClever({ districtId: BENCH_DISTRICT_ID, ...credentials, apiBaseUrl: url, oauthBaseUrl: url }, sink);
    const ms = performance.now() - started;
    const rows = Object.values(sink.counts).reduce((total, count) => total + count, 0);
    console.log(
      `${learners.toLocaleString("en")} learners (${sink.counts.enrolments.toLocaleString("en")} enrolments, ${sink.counts.classes.toLocaleString("en")} sections): read ${(ms / 1000).toFixed(1)} s ` +
        `(${Math.round(rows / (ms / 1000)).toLocaleString("en")} records/s), reader's peak ${Math.round(peakMb())} MB (target 1.5 GB), ${sink.problems.length} problems`,
    );
  } finally {
    server.kill();
  }
}
