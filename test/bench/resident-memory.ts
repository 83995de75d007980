/** Resident memory as Linux reports it for this process, for the benchmarks that measure peaks. */
import { readFileSync } from "node:fs";

/** VmRSS (now) or VmHWM (the peak since the last reset), in MB. */
export const rssMb = (field: "VmRSS" | "VmHWM") => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;

/**
 * Waits (at most 30 s) until resident memory stops falling. After a collection of gigabytes of
 * garbage (two million generated records, a finished sync of a million learners), the allocator
 * hands its pages back to the system over seconds. A step measured meanwhile is timed against
 * that work, and its memory counted with memory nobody holds (the matcher's input: 1,148 MB at
 * once, 870 MB a few seconds later; the 90% case about 1.5 s slower). Returns the seconds it waited.
 */
export function settle(): number {
  const started = performance.now();
  let last = rssMb("VmRSS");
  while (performance.now() - started < 30_000) {
    Bun.sleepSync(1000);
    const now = rssMb("VmRSS");
    if (last - now < 4) break;
    last = now;
  }
  return (performance.now() - started) / 1000;
}
