/**
 * Process entry: configuration, database, migrations, server (and, as they arrive, the
 * scheduler and the mail dispatcher). `npm start` runs this.
 */
import { createApp } from "./app.tsx";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { createLogger } from "./log.ts";
import { ensureDemoOrganization } from "./orgs/demo-organization.ts";
import { ensureProducts } from "./products.ts";
import type { AppDeps } from "./routes/context.tsx";

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

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config);
await migrateDatabase(database, config.databaseUrl);
await ensureProducts(database.db);

const deps: AppDeps = { database, config, logger, appUrl: config.publicUrl ?? `http://localhost:${config.port}` };
const app = createApp(deps);
const server = Bun.serve({ port: config.port, fetch: app.fetch, idleTimeout: 60 });
const localUrl = `http://localhost:${server.port}`;
deps.appUrl = config.publicUrl ?? localUrl;

if (config.embedded) {
  const demo = await ensureDemoOrganization(database.db, config.dataDir);
  if (demo.credentials) {
    console.log(
      [
        "",
        "A demo organization was created for you. Sign in at",
        `  ${localUrl}/sign-in`,
        `  email:    ${demo.credentials.email}`,
        `  password: ${demo.credentials.password}`,
        `(also kept in ${demo.credentials.file})`,
        "",
      ].join("\n"),
    );
  }
  console.log(`Email is not sent in embedded mode; read it at ${localUrl}/dev/outbox`);
}
console.log(`Rollcall is listening on ${localUrl}`);
logger.info("server.started", { port: server.port, embedded: config.embedded });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info("server.stopping", { signal });
  await server.stop();
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
