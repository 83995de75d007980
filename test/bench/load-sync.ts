/**
 * The load benchmark's sync, in a process of its own: a first sync of a generated district
 * (sync-district.ts) into the organization named, as a second app process's scheduler would
 * run it. Prints "sync done <status> <seconds>" at the end.
 *
 *   bun test/bench/load-sync.ts <database url> <organization id> <learners>
 */
import { openPostgres } from "../../src/db/client.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { createSyncDeps } from "../../src/sync/run/deps.ts";
import { syncOrganization, type SyncDeps } from "../../src/sync/run/lifecycle.ts";
import { ENCRYPTION_KEY } from "./sync-bench-db.ts";
import { readDistrict } from "./sync-district.ts";

const [url, orgId, size] = process.argv.slice(2);
const database = openPostgres(url!);
const base = createSyncDeps({ database, config: { encryptionKey: ENCRYPTION_KEY }, logger: silentLogger, appUrl: "http://localhost" });
const deps: SyncDeps = { ...base, readSource: (_connection, sink) => readDistrict({ learners: Number(size) }, sink) };
const started = performance.now();
const result = await syncOrganization(deps, { orgId: orgId!, trigger: "cli" });
console.log(`sync done ${result.status} ${((performance.now() - started) / 1000).toFixed(1)}`);
await database.close();
