/** The Clever client against the demo district: a whole read, paging, errors and faults. */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_DISTRICT_ID, createDemoClever } from "../../../src/demo/index.ts";
import { ReadFailed } from "../../../src/roster/snapshot.ts";
import { checkCleverDistrict, readClever, type CleverReadOptions } from "../../../src/sources/clever/index.ts";
import { CollectingSink, serve } from "../../helpers/collect.ts";

const demo = createDemoClever({ learners: 300, schoolYear: 2027 });
const server = serve(demo.app.fetch);
afterAll(() => server.stop());
beforeEach(() => demo.faults.clear());

const connection = {
  districtId: DEMO_DISTRICT_ID,
  clientId: DEMO_CLIENT_ID,
  clientSecret: DEMO_CLIENT_SECRET,
  apiBaseUrl: server.url,
  oauthBaseUrl: server.url,
};
const quick: CleverReadOptions = { retry: { baseDelayMs: 5, maxDelayMs: 20, attempts: 3 } };

async function read(options: CleverReadOptions = quick, overrides: Partial<typeof connection> = {}) {
  const sink = new CollectingSink();
  const summary = await readClever({ ...connection, ...overrides }, sink, options);
  return { sink, summary };
}

describe("reading the demo district", () => {
  test("a full read delivers every school, section, student, teacher and class place", async () => {
    const { sink, summary } = await read();
    expect(summary).toMatchObject({ source: "clever", mode: "full" });
    expect(sink.schools.map((school) => school.name)).toEqual(["Maple Grove Elementary", "Riverside Elementary", "Lincoln Middle School"]);
    expect(sink.academicSessions).toEqual([
      expect.objectContaining({ title: "2026-2027 School Year", startDate: "2026-08-17", endDate: "2027-06-05", schoolYear: 2027 }),
    ]);
    expect(sink.learners).toHaveLength(300);
    expect(sink.educators).toHaveLength(sink.classes.length);
    expect(sink.enrolments.filter((place) => place.role === "learner")).toHaveLength(300);
    expect(sink.classes.every((klass) => klass.kind === "registration_group" && klass.yearGroups.length === 1)).toBe(true);
    expect(sink.problems).toEqual([]);
    const learner = sink.learners[0]!;
    expect(learner.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(learner.yearGroup?.code).toBeDefined();
    expect(learner.demographics?.ethnicity?.length).toBe(1);
  });

  test("small pages give the same read as large ones", async () => {
    const large = await read();
    const small = await read({ ...quick, pageLimit: 7 });
    expect(small.sink.learners.map((learner) => learner.sourceId)).toEqual(large.sink.learners.map((learner) => learner.sourceId));
    expect(small.sink.enrolments).toHaveLength(large.sink.enrolments.length);
  });

  test("a wrong district ID is a clear error", async () => {
    const error = await read(quick, { districtId: "0123456789abcdef01234567" }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ReadFailed);
    expect(error.message).toContain("does not know district ID 0123456789abcdef01234567");
    expect(error.message).toContain("double-check your district ID");
  });

  test("wrong app credentials are a clear error", async () => {
    const error = await read(quick, { clientSecret: "wrong" }).catch((caught) => caught);
    expect(error.message).toContain("did not accept this Rollcall's app credentials");
  });
});

describe("checking a district ID before it is saved", () => {
  const app = { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, oauthUrl: server.url };

  test("a district that has connected the app is found", async () => {
    expect(await checkCleverDistrict(app, DEMO_DISTRICT_ID, quick)).toEqual({ ok: true });
  });

  test("an ID Clever has no token for is refused with what to check", async () => {
    const check = await checkCleverDistrict(app, "0123456789abcdef01234567", quick);
    expect(check).toMatchObject({ ok: false, problem: "unknown district" });
    if (check.ok) throw new Error("unreachable");
    expect(check.message).toContain("double-check your district ID");
    expect(check.message).toContain("accepted the app in Clever");
  });

  test("the operator's wrong credentials are not blamed on the admin", async () => {
    const check = await checkCleverDistrict({ ...app, clientSecret: "wrong" }, DEMO_DISTRICT_ID, quick);
    expect(check).toMatchObject({ ok: false, problem: "app credentials" });
  });

  test("Clever out of reach is said as such", async () => {
    // Nothing listens on port 1: the connection is refused.
    const check = await checkCleverDistrict({ ...app, oauthUrl: "http://127.0.0.1:1" }, DEMO_DISTRICT_ID, quick);
    expect(check).toMatchObject({ ok: false, problem: "unreachable" });
  });
});

describe("faults", () => {
  test("429 is waited out until the reset the headers give, and the read completes", async () => {
    demo.faults.add({ kind: "429", times: 2, delayMs: 300, path: "/users" });
    const { sink } = await read();
    expect(sink.learners).toHaveLength(300);
  });

  test("500s are retried with backoff and the read completes", async () => {
    demo.faults.add({ kind: "500", times: 2, path: "/sections" });
    const { sink } = await read();
    expect(sink.classes.length).toBeGreaterThan(0);
  });

  test("a source that keeps failing fails the read, it does not give a smaller roster", async () => {
    demo.faults.add({ kind: "html", times: 10, path: "/users" });
    const error = await read().catch((caught) => caught);
    expect(error).toBeInstanceOf(ReadFailed);
    expect(error.message).toContain("did not answer properly after several tries");
  });

  test("a truncated page fails the read", async () => {
    demo.faults.add({ kind: "truncated", times: 1, path: "/sections" });
    const error = await read().catch((caught) => caught);
    expect(error).toBeInstanceOf(ReadFailed);
    expect(error.message).toContain("arrived incomplete");
  });

  test("a slow answer beyond the time-out is retried", async () => {
    demo.faults.add({ kind: "slow", times: 1, delayMs: 400, path: "/schools" });
    const { sink } = await read({ retry: { ...quick.retry, timeoutMs: 150 } });
    expect(sink.schools).toHaveLength(3);
  });
});

describe("the district over days", () => {
  test("the same seed gives the same district", async () => {
    const other = createDemoClever({ learners: 300, schoolYear: 2027 });
    const page = (d: typeof demo) => JSON.stringify(d.district.page("students", undefined, 50));
    expect(page(other)).toBe(page(demo));
    expect(JSON.stringify(createDemoClever({ learners: 300, seed: 7, schoolYear: 2027 }).district.page("students", undefined, 50))).not.toBe(page(demo));
  });

  test("advancing days brings leavers, joiners, name changes and class moves", async () => {
    const later = createDemoClever({ learners: 300, schoolYear: 2027 });
    const before = new Map(later.district.page("students", undefined, 10_000).map((student) => [student.id, JSON.stringify(student)]));
    for (let day = 0; day < 10; day++) later.district.advanceDay();
    const after = new Map(later.district.page("students", undefined, 10_000).map((student) => [student.id, JSON.stringify(student)]));
    const left = [...before.keys()].filter((id) => !after.has(id));
    const joined = [...after.keys()].filter((id) => !before.has(id));
    const changed = [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id));
    expect(left.length).toBeGreaterThan(5);
    expect(joined.length).toBeGreaterThan(5);
    expect(changed.length).toBeGreaterThan(0);
  });
});
