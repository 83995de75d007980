/**
 * Pages at scale (issue 21, acceptance 2): an organization of ROLLCALL_BENCH_LEARNERS learners
 * (default 1,000,000; see big-org.ts), the real server on loopback, a signed-in admin, and each
 * page requested one at a time: /healthz (a database round trip, the yardstick), the learners
 * list's first, last and a middle page, a name search, the classes list, a run page and the
 * review list. Target: each page's p95 at most 10x the p95 of /healthz in the same run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- pages
 *   ROLLCALL_BENCH_LEARNERS=20000 for a quick check; ROLLCALL_BENCH_REQUESTS=200 per page (default)
 */
import { browsePaths, buildBigOrg, LEARNERS, signIn, startServer } from "./big-org.ts";
import { freshDatabase } from "./sync-bench-db.ts";

const REQUESTS = Number(process.env.ROLLCALL_BENCH_REQUESTS ?? 200);
const WARM_UP = 20;
const TARGET = 10;

const percentile = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;

/** Each request's time, one after another; every answer must be a 200 with a body. */
async function measure(url: string, cookie: string): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let round = 0; round < WARM_UP + REQUESTS; round++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { Cookie: cookie }, redirect: "manual" });
    const body = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200 || !body) throw new Error(`${url} answered ${response.status}`);
    if (round >= WARM_UP) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

console.log(
  `pages benchmark on Postgres; ${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores; ${LEARNERS.toLocaleString("en")} learners`,
);
const bench = await freshDatabase("pages");
const built = performance.now();
const org = await buildBigOrg(bench.database, LEARNERS, 1);
console.log(`organization built by COPY in ${((performance.now() - built) / 1000).toFixed(1)} s`);
const server = await startServer(bench.url);
try {
  const cookie = await signIn(server, org.admins[0]!);
  const health = await measure(`${server.url}/healthz`, cookie);
  console.log(`/healthz: p50 ${health.p50.toFixed(1)} ms, p95 ${health.p95.toFixed(1)} ms`);
  let missed = 0;
  for (const [name, path] of Object.entries(browsePaths(org))) {
    const figures = await measure(`${server.url}${path}`, cookie);
    const ratio = figures.p95 / health.p95;
    if (ratio > TARGET) missed++;
    console.log(
      `${name}: p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms (${ratio.toFixed(1)}x /healthz${ratio > TARGET ? `, over the ${TARGET}x target` : ""})`,
    );
  }
  console.log(missed ? `${missed} page(s) over ${TARGET}x /healthz` : `every page within ${TARGET}x /healthz (met)`);
} finally {
  await server.stop();
  await bench.drop();
}
