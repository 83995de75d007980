/**
 * The CLI uses the server's configuration (DATABASE_URL, or the embedded database under
 * DATA_DIR) and applies migrations first, so it works on a database the server never opened.
 * Embedded mode allows one process per data directory: stop the server first.
 */
import { loadConfig, type Config } from "../config.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { ensureProducts } from "../products.ts";

export async function withDatabase<T>(work: (database: Database, config: Config & { appUrl: string }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await migrateDatabase(database, config.databaseUrl);
    await ensureProducts(database.db);
    return await work(database, { ...config, appUrl: config.publicUrl ?? `http://localhost:${config.port}` });
  } finally {
    await database.close();
  }
}
