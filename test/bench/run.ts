/**
 * `npm run bench [-- filter]`: runs every test/bench/*.bench.ts in its own Bun process, one
 * after another (so one benchmark's memory never counts against the next), and passes
 * their output through. Each benchmark prints its own figures and ratios.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

const filter = process.argv[2];
const files = readdirSync(import.meta.dir)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => !filter || name.includes(filter))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const child = Bun.spawnSync([process.execPath, join(import.meta.dir, file)], { stdout: "inherit", stderr: "inherit", env: process.env });
  if (child.exitCode !== 0) {
    failed++;
    console.log(`${file} exited with ${child.exitCode}`);
  }
}
process.exitCode = failed ? 1 : 0;
