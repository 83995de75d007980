/**
 * From an organization's stored connection to a read of its source. The one place that
 * knows which connector serves which connection; every address is held to the operator's
 * address policy (src/sources/http/outbound.ts).
 */
import { type ReadSummary, ReadFailed, type SnapshotSink } from "../roster/snapshot.ts";
import { readClever } from "../sources/clever/index.ts";
import { readOneRosterZip } from "../sources/oneroster/index.ts";
import { readOneRosterApi } from "../sources/oneroster/rest.ts";
import type { AddressPolicy } from "../sources/http/outbound.ts";
import { NO_WONDE_APP } from "../sources/wonde/app.ts";
import { readWonde } from "../sources/wonde/index.ts";
import type { VendorApps } from "../config.ts";
import type { Connection } from "./details.ts";
import { STORED_ZIP_LIMITS } from "./uploads.ts";

export const NO_CLEVER_APP = "This Rollcall has no Clever app set up, so Clever districts cannot be read. Ask Rollcall support.";

/** Reads a connection's source into `sink`; throws ReadFailed when the read fails or stops part-way. */
export type SourceReader = (connection: Connection, sink: SnapshotSink, options: { signal?: AbortSignal; changesOnly?: boolean }) => Promise<ReadSummary>;

/** Whether a connection's source can be asked for only what changed since its cursor (a file says so itself, in its manifest). */
export function readsChanges(connection: Connection): boolean {
  const { details } = connection;
  return details.source === "clever" || details.source === "wonde" || (details.source === "oneroster" && details.kind !== "file");
}

export const connectionReader =
  (addresses: AddressPolicy, vendors: VendorApps): SourceReader =>
  async (connection, sink, options) => {
    const { details, secret } = connection;
    switch (details.source) {
      case "clever": {
        const app = vendors.clever;
        if (!app) throw new ReadFailed(NO_CLEVER_APP, "CLEVER_CLIENT_ID and CLEVER_CLIENT_SECRET are not set").because("operator");
        const { clientId, clientSecret, apiUrl, oauthUrl } = app;
        return readClever(
          {
            districtId: details.districtId,
            apiVersion: details.apiVersion,
            clientId,
            clientSecret,
            apiBaseUrl: apiUrl,
            oauthBaseUrl: oauthUrl,
            cursor: connection.cursor,
          },
          sink,
          { signal: options.signal, addresses, mode: options.changesOnly ? "events" : "full" },
        );
      }
      case "oneroster":
        if (details.kind === "file") return readOneRosterZip(details.path, sink, { limits: STORED_ZIP_LIMITS });
        if (!secret || !("clientSecret" in secret))
          throw new ReadFailed("The OneRoster connection has no client ID and secret. Enter them on the roster source page.");
        return readOneRosterApi(
          { baseUrl: details.baseUrl, tokenUrl: details.tokenUrl, auth: details.auth, clientId: secret.clientId, clientSecret: secret.clientSecret },
          sink,
          { signal: options.signal, addresses, since: options.changesOnly ? connection.cursor : undefined },
        );
      case "wonde": {
        const app = vendors.wonde;
        if (!app) throw new ReadFailed(NO_WONDE_APP, "WONDE_APP_TOKEN is not set").because("operator");
        return readWonde({ schoolId: details.schoolId, token: app.token, baseUrl: app.apiUrl, cursor: connection.cursor }, sink, {
          signal: options.signal,
          addresses,
          mode: options.changesOnly ? "delta" : "full",
        });
      }
    }
  };
