/**
 * `rollcall read` against a OneRoster API that signs with OAuth 1.0a (a stand-in on
 * loopback), and the operator's ALLOW_PRIVATE_SOURCE_URLS deciding whether loopback may be
 * reached at all. No database is touched.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { runRollcall } from "../helpers/cli.ts";
import { fixtureDir } from "../helpers/oneroster.ts";
import { collectionsFromCsv, type OneRosterApiStandIn, startOneRosterApi } from "../helpers/oneroster-api.ts";

let api: OneRosterApiStandIn;
beforeAll(() => {
  api = startOneRosterApi(collectionsFromCsv(fixtureDir("edfi-or11")), { auth: "oauth1" });
});
afterAll(() => api.stop());

const read = (allowPrivate: "0" | "1") =>
  runRollcall(
    ["read", "--source", "oneroster", "--base-url", api.baseUrl, "--auth", "oauth1", "--client-id", "app-id", "--client-secret", "app-secret", "--json"],
    { ALLOW_PRIVATE_SOURCE_URLS: allowPrivate },
  );

test("--auth oauth1 reads without a token address, every request signed", async () => {
  const result = await read("1");
  expect(result.exitCode).toBe(0);
  expect((JSON.parse(result.stdout) as { counts: Record<string, number> }).counts).toEqual({
    schools: 1,
    academicSessions: 3,
    classes: 2,
    learners: 8,
    educators: 2,
    enrolments: 24,
  });
  expect(api.refusals).toEqual([]);
});

test("with private addresses refused, the read stops before anything is sent", async () => {
  const before = api.requests.length;
  const result = await read("0");
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("Rollcall did not connect to the OneRoster server. The address must start with https://");
  expect(api.requests.length).toBe(before);
});

test("a wrong --auth is one line naming the flag", async () => {
  const result = await runRollcall(
    ["read", "--source", "oneroster", "--base-url", api.baseUrl, "--auth", "basic", "--client-id", "a", "--client-secret", "b"],
    {},
  );
  expect(result.exitCode).toBe(2);
  expect(result.stderr.trim()).toContain('--auth "basic" is not one of oauth2, oauth1');
});
