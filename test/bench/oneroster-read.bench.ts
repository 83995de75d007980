/**
 * Reading a OneRoster zip (issue 3, acceptance 5): a generated district of 1M learners, 50k
 * educators, 250k classes and 5M enrolments is written as a zip, then read by the OneRoster
 * reader in a fresh process, which reports time and peak memory.
 *
 *   npm run bench -- oneroster        ROLLCALL_BENCH_ONEROSTER_SIZES=50000 to choose sizes
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sizes = (process.env.ROLLCALL_BENCH_ONEROSTER_SIZES ?? "50000,1000000").split(",").map(Number);
const directory = mkdtempSync(join(tmpdir(), "rollcall-bench-oneroster-"));
const step = (...args: string[]) => {
  const child = Bun.spawnSync([process.execPath, join(import.meta.dir, "oneroster-case.ts"), ...args], { stdout: "pipe", stderr: "inherit" });
  if (child.exitCode !== 0) throw new Error(`oneroster-case ${args.join(" ")} exited with ${child.exitCode}`);
  return JSON.parse(child.stdout.toString().trim()) as { ms: number; peakMb: number; zipMb?: number; counts?: Record<string, number>; problems?: number };
};

console.log(`OneRoster read benchmark; ${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores`);
try {
  for (const learners of sizes) {
    const path = join(directory, `district-${learners}.zip`);
    const written = step("write", String(learners), path);
    const read = step("read", path);
    const rows = Object.values(read.counts!).reduce((total, count) => total + count, 0);
    console.log(
      `${learners.toLocaleString("en")} learners (${read.counts!.enrolments!.toLocaleString("en")} enrolments, zip ${written.zipMb!.toFixed(0)} MB): ` +
        `read ${(read.ms / 1000).toFixed(1)} s (${Math.round(rows / (read.ms / 1000)).toLocaleString("en")} rows/s), peak ${Math.round(read.peakMb)} MB (target 1.5 GB), ${read.problems} problems; ` +
        `writing the zip took ${(written.ms / 1000).toFixed(1)} s`,
    );
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
