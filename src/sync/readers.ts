/**
 * From an organization's stored connection to a read of its source. The one place that
 * knows which connector serves which connection.
 */
import { ReadFailed } from "../roster/snapshot.ts";
import { readClever } from "../sources/clever/index.ts";
import type { SourceReader } from "./runs.ts";

export const readConnection: SourceReader = async (connection, sink, options) => {
  const { details, secret } = connection;
  switch (details.source) {
    case "clever":
      if (!secret || !("clientSecret" in secret)) throw new ReadFailed("The Clever connection has no app credentials. Enter them on the roster source page.");
      return readClever({ ...details, clientId: secret.clientId, clientSecret: secret.clientSecret, cursor: connection.cursor }, sink, { signal: options.signal });
    default:
      // Each connector is wired here as it lands (sources issue).
      throw new ReadFailed(`Reading from ${details.source} is not available in this build yet.`);
  }
};
