/**
 * One process's scheduler, for the test that starts three at once against one Postgres.
 * Usage: bun child-scheduler.ts DATABASE_URL NOW_ISO START_AT_MS
 * Waits until START_AT_MS (so the processes tick together), ticks once with the clock at
 * NOW_ISO, waits for the run it started (if any), and prints {"started": [...]}.
 */
import { openPostgres } from "../../src/db/client.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { createScheduler } from "../../src/schedule/scheduler.ts";
import { createSyncService } from "../../src/sync/run/service.ts";
import { makeDistrict, readerFor, realMatcher } from "../helpers/sync-harness.ts";

const [url, nowIso, startAt] = process.argv.slice(2);
const database = openPostgres(url!, { max: 3 });
const sync = createSyncService({
  database,
  config: { encryptionKey: "0123456789abcdef".repeat(4) },
  logger: silentLogger,
  readSource: readerFor(makeDistrict(40)),
  matcher: realMatcher,
});
const scheduler = createScheduler(sync, { now: () => new Date(nowIso!) });
await Bun.sleep(Math.max(0, Number(startAt) - Date.now()));
try {
  const result = await scheduler.tick();
  await scheduler.stop();
  console.log(JSON.stringify(result));
} finally {
  await database.close();
}
