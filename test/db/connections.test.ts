import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { bulkTransaction } from "../../src/db/bulk.ts";
import { queryRows } from "../../src/db/client.ts";
import { createTestDatabase, testDatabaseUrl } from "../helpers/db.ts";

type Setting = { max_parallel_workers_per_gather: string };

describe.skipIf(!testDatabaseUrl)("Postgres connections", () => {
  test("the pages' connections start no parallel workers; the sync's bulk connection keeps the server's setting", async () => {
    const database = await createTestDatabase();
    try {
      const [pages] = await queryRows<Setting>(database.db, sql`show max_parallel_workers_per_gather`);
      expect(pages?.max_parallel_workers_per_gather).toBe("0");
      const [bulk] = await bulkTransaction(database, (tx) => tx.query<Setting>("show max_parallel_workers_per_gather"));
      expect(Number(bulk?.max_parallel_workers_per_gather)).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });
});
