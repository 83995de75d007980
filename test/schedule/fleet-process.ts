/**
 * One app process of a fleet, for the fleet test and benchmark: the sync service as the app
 * builds it (connection reader, matcher, notifier) and the real scheduler, with the
 * concurrency and off-peak window parsed from the environment as the app parses them
 * (DATABASE_URL, SYNC_CONCURRENCY, ...).
 *
 * ROLLCALL_FLEET_CLOCK is the scheduler's clock at ROLLCALL_FLEET_START_AT (ms since the
 * epoch); from then on it moves with real time, so a slot passes without waiting for it. The
 * process ticks at START_AT (so the processes tick together) and once a minute after. On
 * SIGTERM it stops, waiting for its syncs, and prints one JSON line: the runs it started, the
 * most syncs it ran at once, and its peak memory (VmHWM).
 */
import { readFileSync } from "node:fs";
import { loadConfig } from "../../src/config.ts";
import { openPostgres } from "../../src/db/client.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { createScheduler } from "../../src/schedule/scheduler.ts";
import { createSyncDeps } from "../../src/sync/run/deps.ts";
import { createSyncService } from "../../src/sync/run/service.ts";
import { countingService } from "../helpers/fleet.ts";

export interface FleetProcessReport {
  started: string[];
  peakRunning: number;
  peakMemoryMb: number;
}

const config = loadConfig();
const clockAt = Date.parse(process.env.ROLLCALL_FLEET_CLOCK!);
const startAt = Number(process.env.ROLLCALL_FLEET_START_AT);
const database = openPostgres(config.databaseUrl!, { max: 4 });
const service = createSyncService(createSyncDeps({ database, config, logger: silentLogger, appUrl: "http://localhost" }));

const counted = countingService(service);

const scheduler = createScheduler(counted.service, {
  now: () => new Date(clockAt + (Date.now() - startAt)),
  concurrency: config.syncConcurrency,
  offPeak: config.offPeak,
});
await Bun.sleep(Math.max(0, startAt - Date.now()));
scheduler.start();
await scheduler.tick();

process.on("SIGTERM", async () => {
  await scheduler.stop();
  await database.close();
  const peakMemoryMb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;
  const report: FleetProcessReport = { started: counted.started, peakRunning: counted.peak(), peakMemoryMb };
  console.log(JSON.stringify(report));
  process.exit(0);
});
