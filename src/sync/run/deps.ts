/** The sync engine's parts as the running app and the CLI use them. */
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import type { Logger } from "../../lib/log.ts";
import { createSyncNotifier } from "../../mail/sync-emails.ts";
import { policyFromEnvironment } from "../../sources/http/outbound.ts";
import { createMatcher } from "../match/index.ts";
import { connectionReader } from "../../connections/reader.ts";
import type { SyncDeps } from "./lifecycle.ts";

/** `base.appUrl` is read when an email is written, so a server that learns its port later can set it. */
export function createSyncDeps(base: {
  database: Database;
  config: Pick<Config, "encryptionKey"> & Partial<Pick<Config, "sourceAddresses" | "vendors" | "supportEmail">>;
  logger: Logger;
  appUrl: string;
}): SyncDeps {
  return {
    database: base.database,
    config: base.config,
    logger: base.logger,
    readSource: connectionReader(base.config.sourceAddresses ?? policyFromEnvironment(), base.config.vendors ?? {}),
    matcher: createMatcher(),
    notifier: createSyncNotifier({ db: base.database.db, appUrl: () => base.appUrl, supportEmail: base.config.supportEmail }),
  };
}
