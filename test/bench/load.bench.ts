/**
 * Load (issue 21, acceptance 3): 50 admins, each signed in with a session of their own, browse
 * the learners (first, last and a middle page, a name search), classes, a run page and the
 * review of a large organization through the real server on loopback, driven by autocannon
 * (one connection per admin, each starting a fiftieth of a second after the last), while a
 * first sync of a 1M-learner district applies in the same database. Target: p95 under 300 ms
 * and no errors.
 *
 * Three processes: the server (src/main.ts), the sync (load-sync.ts) and this one, which
 * drives the load. The sync runs in a process of its own, as a second app process's scheduler
 * would run it, so this process's clock measures the server and nothing else; the server
 * process itself only serves pages. The database, its disk and the machine's two cores are
 * shared by all three.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- load
 *   ROLLCALL_BENCH_LEARNERS (default 1,000,000: the browsed organization and the synced district);
 *   ROLLCALL_BENCH_LOAD_SECONDS (default 60): how long the admins browse once the sync applies;
 *   ROLLCALL_BENCH_LOAD_RATE (default 1): pages per second per admin, 0 for as fast as answered;
 *   ROLLCALL_BENCH_LOAD_TOGETHER=1: all 50 ask at the same instant every second (a stress figure).
 */
import autocannon from "autocannon";
import { eq } from "drizzle-orm";
import { syncRuns } from "../../src/db/schema/index.ts";
import { browsePaths, buildBigOrg, LEARNERS, signIn, startServer } from "./big-org.ts";
import { freshDatabase, newOrganization } from "./sync-bench-db.ts";

const ADMINS = 50;
const SECONDS = Number(process.env.ROLLCALL_BENCH_LOAD_SECONDS ?? 60);
const TARGET_MS = 300;
/**
 * People do not click in step: each admin starts a fiftieth of a second after the last, so the
 * pages arrive spread over each second. ROLLCALL_BENCH_LOAD_TOGETHER=1 starts them all at once, so
 * every second all 50 ask at the same instant: a harsher burst than browsing, kept as a stress figure.
 */
const TOGETHER = process.env.ROLLCALL_BENCH_LOAD_TOGETHER === "1";
/**
 * Pages each admin asks for per second (autocannon's connectionRate): 1, a page every second,
 * is brisker than a person reads. 0 sends the next request as soon as the last is answered,
 * a closed loop that measures the server's throughput rather than 50 people browsing.
 */
const RATE = Number(process.env.ROLLCALL_BENCH_LOAD_RATE ?? 1);

/** One admin browsing: autocannon with one connection and their own session, going through the pages in turn from `index`'s. */
async function browseAsAdmin(url: string, cookie: string, paths: string[], index: number, startAfterMs: number) {
  await Bun.sleep(startAfterMs);
  let next = index;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: 1,
        ...(RATE > 0 ? { connectionRate: RATE } : {}),
        duration: SECONDS,
        timeout: 10,
        requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]!, headers: { ...request.headers, Cookie: cookie } }) }],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  return { latencies, result };
}

console.log(
  `load benchmark on Postgres; ${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores; ${LEARNERS.toLocaleString("en")} learners`,
);
const bench = await freshDatabase("load");
const db = bench.database.db;
const org = await buildBigOrg(bench.database, LEARNERS, ADMINS);
const districtId = await newOrganization(bench.database, "Syncing District");

const server = await startServer(bench.url);
const sync = Bun.spawn([process.execPath, new URL("./load-sync.ts", import.meta.url).pathname, bench.url, districtId, String(LEARNERS)], {
  stdout: "ignore",
  stderr: "inherit",
});
try {
  const cookies: string[] = [];
  for (const admin of org.admins) cookies.push(await signIn(server, admin));
  // Browse once the sync writes: its read and plan come first.
  const waitStarted = performance.now();
  for (;;) {
    const [run] = await db.select({ status: syncRuns.status }).from(syncRuns).where(eq(syncRuns.orgId, districtId));
    if (run?.status === "applying") {
      console.log(
        `the sync reached applying after ${((performance.now() - waitStarted) / 1000).toFixed(0)} s of reading and planning; 50 admins browse for ${SECONDS} s`,
      );
      break;
    }
    // A small district can finish between two looks: the admins then browse without it, and the line says so.
    if (run && run.status !== "fetching" && run.status !== "planned") {
      console.log(
        `the sync was already ${run.status} after ${((performance.now() - waitStarted) / 1000).toFixed(0)} s; 50 admins browse for ${SECONDS} s without it`,
      );
      break;
    }
    await Bun.sleep(200);
  }

  const paths = Object.values(browsePaths(org));
  // Admin i starts i/50 of a second after the first, so a page a second each arrives spread over the second.
  const browsing = cookies.map((cookie, index) => browseAsAdmin(server.url, cookie, paths, index, TOGETHER ? 0 : (index * 1000) / ADMINS));
  const admins = await Promise.all(browsing);
  const latencies = admins.flatMap((one) => one.latencies);
  const total = (field: "errors" | "timeouts" | "non2xx") => admins.reduce((sum, one) => sum + one.result[field], 0);
  const result = { errors: total("errors"), timeouts: total("timeouts"), non2xx: total("non2xx") };
  const [stillApplying] = await db.select({ status: syncRuns.status }).from(syncRuns).where(eq(syncRuns.orgId, districtId));
  latencies.sort((a, b) => a - b);
  const p = (share: number) => latencies[Math.min(latencies.length - 1, Math.ceil(share * latencies.length) - 1)] ?? Number.NaN;
  const errors = result.errors + result.timeouts + result.non2xx;
  console.log(
    `${TOGETHER ? "all 50 at once" : "spread over each second"}: ${latencies.length.toLocaleString("en")} requests in ${SECONDS} s (${(latencies.length / SECONDS).toFixed(0)}/s): ` +
      `p50 ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms; ` +
      `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; the sync was ${stillApplying?.status} at the end`,
  );
  console.log(p(0.95) < TARGET_MS && errors === 0 ? `p95 under ${TARGET_MS} ms with no errors (met)` : `target missed: p95 < ${TARGET_MS} ms and 0 errors`);
} finally {
  // A sync still applying is stopped: its transaction rolls back, and the database is dropped.
  sync.kill();
  await sync.exited;
  await server.stop();
  await bench.drop();
}
