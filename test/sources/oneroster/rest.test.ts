/**
 * The OneRoster REST binding against a stand-in provider serving the Ed-Fi sample: the
 * same roster as the CSV set, read through capped pages and Link headers; a failing page
 * is retried; a provider that sends fewer records than it counts, or refuses the
 * credentials, fails the read with a clear message.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ReadFailed } from "../../../src/roster/snapshot.ts";
import { readOneRosterDirectory } from "../../../src/sources/oneroster/index.ts";
import { readOneRosterApi } from "../../../src/sources/oneroster/rest.ts";
import { CollectingSink } from "../../helpers/collect.ts";
import { fixtureDir } from "../../helpers/oneroster.ts";
import { collectionsFromCsv, type OneRosterApiStandIn, startOneRosterApi } from "../../helpers/oneroster-api.ts";

let api: OneRosterApiStandIn;
beforeAll(() => {
  api = startOneRosterApi(collectionsFromCsv(fixtureDir("edfi-or11")), { maxPage: 5 });
});
afterAll(() => api.stop());

const connection = () => ({ baseUrl: api.baseUrl, tokenUrl: api.tokenUrl, clientId: "app-id", clientSecret: "app-secret" });
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

test("the API gives the same roster as the CSV set, page by page", async () => {
  const fromCsv = new CollectingSink();
  await readOneRosterDirectory(fixtureDir("edfi-or11"), fromCsv);
  const fromApi = new CollectingSink();
  api.requests.length = 0;
  const summary = await readOneRosterApi(connection(), fromApi, { pageLimit: 100, ...fast });
  expect(summary).toMatchObject({ source: "oneroster", mode: "full", version: "1.1" });
  expect(summary.rows).toEqual({ orgs: 2, academicSessions: 3, courses: 2, classes: 2, demographics: 8, users: 10, enrollments: 24 });
  const shape = (sink: CollectingSink) => ({
    schools: sink.schools,
    classes: sink.classes.map((klass) => ({ ...klass, period: undefined })),
    learners: sink.learners,
    educators: sink.educators.map((educator) => educator.sourceId),
    enrolments: sink.enrolments.map((enrolment) => `${enrolment.classSourceId}/${enrolment.personSourceId}/${enrolment.role}`),
  });
  expect(shape(fromApi)).toEqual(shape(fromCsv));
  // 24 enrollments in pages of at most 5, found through the Link header.
  expect(api.requests.filter((path) => path.startsWith("/enrollments"))).toEqual(
    [0, 5, 10, 15, 20].map((offset) => `/enrollments?limit=${offset ? 5 : 100}&offset=${offset}`),
  );
  expect(fromApi.problems.filter((problem) => problem.severity === "error")).toEqual([]);
});

test("a page that fails twice is retried and the read completes", async () => {
  api.failNext(2);
  const sink = new CollectingSink();
  await readOneRosterApi(connection(), sink, fast);
  expect(sink.enrolments.length).toBe(24);
});

test("fewer records than X-Total-Count fails the read instead of giving a smaller roster", async () => {
  api.overstate("users");
  try {
    const error = await readOneRosterApi(connection(), new CollectingSink(), fast).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReadFailed);
    expect((error as ReadFailed).message).toContain("users");
  } finally {
    api.overstate(undefined);
  }
});

test("wrong credentials are a clear error, worded as every failure at the token address is", async () => {
  const error = await readOneRosterApi({ ...connection(), clientSecret: "wrong" }, new CollectingSink(), fast).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ReadFailed);
  expect((error as ReadFailed).message).toContain("Check the token address, the client ID and the client secret on the roster source page.");
  expect((error as ReadFailed).detail).toBe("token 401");
});

test("an incremental read asks for records modified since the cursor, and reads what it gets as a delta", async () => {
  const collections = collectionsFromCsv(fixtureDir("edfi-or11"));
  const students = collections.users!.filter((user) => user.role === "student");
  const renamed = students[0]!;
  const leaving = students[1]!;
  Object.assign(renamed, { familyName: "Renamed", dateLastModified: "2026-03-01T09:00:00.000Z" });
  Object.assign(leaving, { status: "tobedeleted", dateLastModified: "2026-03-01T09:05:00.000Z" });
  const changed = startOneRosterApi(collections, { maxPage: 5 });
  try {
    const sink = new CollectingSink();
    const summary = await readOneRosterApi({ baseUrl: changed.baseUrl, tokenUrl: changed.tokenUrl, clientId: "app-id", clientSecret: "app-secret" }, sink, {
      ...fast,
      since: "2026-02-01T00:00:00.000Z",
      now: () => Date.parse("2026-03-02T00:00:00.000Z"),
    });
    expect(summary).toMatchObject({ mode: "delta" });
    // The next cursor is the read's start, ten minutes back for the provider's clock.
    expect(summary.cursor).toBe("2026-03-01T23:50:00.000Z");
    expect(sink.learners.map((learner) => [learner.sourceId, learner.familyName])).toEqual([[String(renamed.sourcedId), "Renamed"]]);
    expect(sink.tombstones).toEqual([{ entity: "learner", sourceId: String(leaving.sourcedId) }]);
    expect(changed.requests.length).toBe(7);
    for (const path of changed.requests) expect(decodeURIComponent(path)).toEndWith("&filter=dateLastModified>'2026-02-01T00:00:00.000Z'");
  } finally {
    changed.stop();
  }
});
