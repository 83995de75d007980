/**
 * OneRoster REST with OAuth 1.0a (RFC 5849, HMAC-SHA256) against a stand-in provider that
 * verifies every signature with its own code: the whole roster reads the same as with
 * OAuth 2; every query parameter is signed; a wrong secret, a tampered query, a stale
 * timestamp or a reused nonce is refused with 401, and a wrong secret reads plainly.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ReadFailed } from "../../../src/roster/snapshot.ts";
import { oauth1Signer } from "../../../src/sources/http/oauth1.ts";
import { readOneRosterApi } from "../../../src/sources/oneroster/rest.ts";
import { CollectingSink } from "../../helpers/collect.ts";
import { fixtureDir } from "../../helpers/oneroster.ts";
import { collectionsFromCsv, type OneRosterApiStandIn, startOneRosterApi } from "../../helpers/oneroster-api.ts";

let signed: OneRosterApiStandIn;
let bearer: OneRosterApiStandIn;
beforeAll(() => {
  const collections = collectionsFromCsv(fixtureDir("edfi-or11"));
  signed = startOneRosterApi(collections, { maxPage: 5, auth: "oauth1" });
  bearer = startOneRosterApi(collections, { maxPage: 5 });
});
afterAll(() => {
  signed.stop();
  bearer.stop();
});

const credentials = { clientId: "app-id", clientSecret: "app-secret" };
const connection = () => ({ baseUrl: signed.baseUrl, auth: "oauth1" as const, ...credentials });
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

test("a signed read gives the same roster as an OAuth 2 read, every page signed and accepted", async () => {
  signed.refusals.length = 0;
  signed.requests.length = 0;
  const viaSignatures = new CollectingSink();
  const summary = await readOneRosterApi(connection(), viaSignatures, fast);
  const viaToken = new CollectingSink();
  await readOneRosterApi({ baseUrl: bearer.baseUrl, tokenUrl: bearer.tokenUrl, ...credentials }, viaToken, fast);
  expect(summary.rows).toEqual({ orgs: 2, academicSessions: 3, courses: 2, classes: 2, demographics: 8, users: 10, enrollments: 24 });
  expect(viaSignatures.learners).toEqual(viaToken.learners);
  expect(viaSignatures.enrolments).toEqual(viaToken.enrolments);
  // Pages of five through limit and offset, each one a signed request that passed.
  expect(signed.requests.filter((path) => path.startsWith("/enrollments"))).toEqual(
    [0, 5, 10, 15, 20].map((offset) => `/enrollments?limit=${offset ? 5 : 1000}&offset=${offset}`),
  );
  expect(signed.refusals).toEqual([]);
  expect(signed.tokenRequests).toBe(0);
});

test("a wrong secret is refused by the provider and told to the admin plainly", async () => {
  signed.refusals.length = 0;
  const error = await readOneRosterApi({ ...connection(), clientSecret: "not-the-secret" }, new CollectingSink(), fast).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ReadFailed);
  expect((error as ReadFailed).message).toBe(
    "The OneRoster server did not accept the client ID and secret: the signature made with them did not match. Check both on the roster source page.",
  );
  expect(signed.refusals).toEqual(["signature"]);
});

test("every query parameter is signed: filter, limit and offset, with spaces, quotes and plus signs", async () => {
  const sign = oauth1Signer(credentials);
  const url = `${signed.baseUrl}/users?filter=${encodeURIComponent("familyName='O Brien+Smith'")}&limit=5&offset=0`;
  const accepted = await fetch(url, { headers: sign(url) });
  expect(accepted.status).toBe(200);
  // A "+" in a query is a space to the provider (RFC 5849 3.4.1.3.1), and must be signed as one.
  const plus = `${signed.baseUrl}/users?filter=givenName%3D%27Ana+Maria%27&limit=5&offset=5`;
  expect((await fetch(plus, { headers: sign(plus) })).status).toBe(200);

  signed.refusals.length = 0;
  for (const tampered of [
    url.replace("offset=0", "offset=5"),
    url.replace("limit=5", "limit=500"),
    url.replace("O%20Brien", "X%20Brien"),
    `${url}&fields=sourcedId`,
  ]) {
    const refused = await fetch(tampered, { headers: sign(url) });
    expect(refused.status).toBe(401);
  }
  expect(signed.refusals).toEqual(["signature", "signature", "signature", "signature"]);
});

test("a stale timestamp and a reused nonce are refused", async () => {
  signed.refusals.length = 0;
  const url = `${signed.baseUrl}/orgs?limit=5&offset=0`;
  const stale = oauth1Signer(credentials, { now: () => Date.now() - 20 * 60_000 });
  expect((await fetch(url, { headers: stale(url) })).status).toBe(401);

  const headers = oauth1Signer(credentials)(url);
  expect((await fetch(url, { headers })).status).toBe(200);
  expect((await fetch(url, { headers })).status).toBe(401);
  expect(signed.refusals).toEqual(["timestamp", "nonce"]);

  // A reader whose clock is off is told the server refused it, not handed a smaller roster.
  const error = await readOneRosterApi(connection(), new CollectingSink(), { ...fast, now: () => Date.now() + 30 * 60_000 }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ReadFailed);
  expect(signed.refusals.at(-1)).toBe("timestamp");
});
