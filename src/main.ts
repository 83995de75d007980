/**
 * Process entry: configuration, database, migrations, server, the scheduler and the mail
 * dispatcher. `npm start` runs this.
 */
import { Hono } from "hono";
import { createApp } from "./app.tsx";
import { ConfigError, loadConfig } from "./config.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { DEMO_MOUNT, demoCleverApp, prepareDemoDistrict } from "./demo/connect.ts";
import { createDemoClever, DEMO_DISTRICT_ID } from "./demo/index.ts";
import { createLogger, errorFields } from "./lib/log.ts";
import { Dispatcher } from "./mail/dispatcher.ts";
import { ensureDemoOrganization, UK_DEMO, US_DEMO } from "./orgs/demo-organization.ts";
import { demoWondeApp, seedUkDemoSchool } from "./demo/uk/connect.ts";
import { createDemoWonde, UK_DEMO_MOUNT } from "./demo/uk/wonde.ts";
import { ensureProducts } from "./products.ts";
import { createScheduler } from "./schedule/scheduler.ts";
import type { AppDeps } from "./routes/context.tsx";
import { createSyncDeps } from "./sync/run/deps.ts";
import { createSyncService } from "./sync/run/service.ts";
import { sweepAbandonedUploads } from "./connections/uploads.ts";

function loadConfigOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Rollcall cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/** A database that cannot be reached or migrated stops start-up with one line that names DATABASE_URL but never prints it. */
async function openDatabaseOrExit(): Promise<Database> {
  try {
    const database = await openDatabase(config);
    await migrateDatabase(database, config.databaseUrl);
    await ensureProducts(database.db);
    return database;
  } catch (error) {
    const { error: kind, code } = errorFields(error);
    const where = config.databaseUrl ? "the database that DATABASE_URL names" : `the embedded database under DATA_DIR`;
    console.error(`Rollcall cannot start: ${where} could not be opened or prepared (${[kind, code].filter(Boolean).join(" ")})`);
    process.exit(1);
  }
}

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const database = await openDatabaseOrExit();
const swept = sweepAbandonedUploads(config.dataDir);
if (swept) logger.info("uploads.swept", { files: swept });

const base = { database, config, logger, appUrl: config.publicUrl ?? `http://localhost:${config.port}` };
const sync = createSyncService(createSyncDeps(base));
// Embedded mode also serves the demo district's Clever-compatible API and the demo UK school's
// Wonde-compatible one, for the two demo organizations.
const demo = config.embedded ? createDemoClever() : null;
const deps: AppDeps = { ...base, sync, demoDistrict: demo?.district };
const app = createApp(deps);
const root = new Hono();
if (demo) root.route(DEMO_MOUNT, demo.app);
if (demo) root.route(UK_DEMO_MOUNT, createDemoWonde());
root.route("/", app);
// No server-wide body ceiling: Bun would answer a body over it with a bare 413 before any
// route runs. Bodies are limited where they are read, with a page that says so; the upload
// route streams to disk and refuses one over MAX_UPLOAD_MB itself (src/routes/connection.tsx).
const server = Bun.serve({ port: config.port, fetch: root.fetch, idleTimeout: 60, maxRequestBodySize: Number.MAX_SAFE_INTEGER });
const localUrl = `http://localhost:${server.port}`;
base.appUrl = deps.appUrl = config.publicUrl ?? localUrl;
// The demo district is served by this process on a loopback address: trust that one address,
// whatever ALLOW_PRIVATE_SOURCE_URLS says (src/sources/http/outbound.ts).
if (demo) config.sourceAddresses.trustedPrefixes.push(`${localUrl}${DEMO_MOUNT}/`, `${localUrl}${UK_DEMO_MOUNT}/`);
// Without an operator's Clever app or Wonde token, embedded mode's Clever is the demo district and
// its Wonde the demo UK school: every step of connecting works offline, a wrong ID included.
if (demo && !config.vendors.clever) config.vendors.clever = demoCleverApp(localUrl);
if (demo && !config.vendors.wonde) config.vendors.wonde = demoWondeApp(localUrl);

if (config.embedded) {
  const district = await ensureDemoOrganization(database.db, config.dataDir, US_DEMO);
  await prepareDemoDistrict(database.db, district.orgId);
  const school = await ensureDemoOrganization(database.db, config.dataDir, UK_DEMO);
  if (school.credentials) await seedUkDemoSchool({ database, config, logger, orgId: school.orgId, baseUrl: localUrl });
  for (const [created, what] of [
    [district, `A demo US district (Clever) was created for you; connect it on Roster Sync Settings with the demo district ID ${DEMO_DISTRICT_ID}`],
    [school, "A demo UK secondary school (Wonde), with last year already synced, was created for you"],
  ] as const) {
    if (!created.credentials) continue;
    console.log(
      [
        "",
        `${what}. Sign in at`,
        `  ${localUrl}/sign-in`,
        `  email:    ${created.credentials.email}`,
        `  password: ${created.credentials.password}`,
        `(also kept in ${created.credentials.file})`,
        "",
      ].join("\n"),
    );
  }
  if (!config.resendApiKey) console.log(`Email is not sent without RESEND_API_KEY; read it at ${localUrl}/dev/outbox`);
}
// Every process schedules; the database decides which one runs a slot.
const scheduler = process.env.ROLLCALL_NO_SCHEDULER === "1" ? null : createScheduler(sync, { concurrency: config.syncConcurrency, offPeak: config.offPeak });
scheduler?.start();
// Without a Resend key mail stays in the outbox (readable at /dev/outbox in embedded mode).
const dispatcher = config.resendApiKey ? new Dispatcher({ database, config, logger }) : null;
dispatcher?.start();
console.log(`Rollcall is listening on ${localUrl}`);
logger.info("server.started", { port: server.port, embedded: config.embedded });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info("server.stopping", { signal });
  await server.stop();
  await scheduler?.stop();
  await dispatcher?.stop();
  // A running sync finishes (or its transaction rolls back) before the database closes.
  await sync.idle();
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
