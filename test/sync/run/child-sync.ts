/**
 * A separate process that syncs one organization from a versioned test district, for the
 * crash and concurrency tests. Usage: bun child-sync.ts DATABASE_URL ORG_ID BASE VERSION
 * Prints one JSON line: the outcome, or the error's name.
 */
import { openPostgres } from "../../../src/db/client.ts";
import { silentLogger } from "../../../src/lib/log.ts";
import { syncOrganization } from "../../../src/sync/run/lifecycle.ts";
import { districtVersion, realMatcher, readerFor } from "../../helpers/sync-harness.ts";

const [url, orgId, base, version] = process.argv.slice(2);
const database = openPostgres(url!, { max: 2 });
try {
  const outcome = await syncOrganization(
    {
      database,
      config: { encryptionKey: "0123456789abcdef".repeat(4) },
      logger: silentLogger,
      readSource: readerFor(districtVersion(Number(base), Number(version) as 1 | 2)),
      matcher: realMatcher,
    },
    { orgId: orgId!, trigger: "cli" },
  );
  console.log(JSON.stringify({ status: outcome.status, runId: outcome.runId }));
} catch (error) {
  console.log(JSON.stringify({ error: (error as Error).name, message: (error as Error).message }));
} finally {
  await database.close();
}
