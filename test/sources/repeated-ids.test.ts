/**
 * One record per id, in every connector (issue 16, point 2): a repeated id is an error at the
 * repeat naming the first, and the first record is the one read. OneRoster CSV names lines,
 * the OneRoster API and Clever and Wonde name the records' places in their lists.
 */
import { describe, expect, test } from "bun:test";
import { FirstSeen } from "../../src/roster/first-seen.ts";
import { createDemoClever, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_DISTRICT_ID } from "../../src/demo/index.ts";
import { readClever } from "../../src/sources/clever/index.ts";
import { readOneRosterZip } from "../../src/sources/oneroster/index.ts";
import { readOneRosterApi } from "../../src/sources/oneroster/rest.ts";
import { readWonde } from "../../src/sources/wonde/index.ts";
import { CollectingSink, serve } from "../helpers/collect.ts";
import { fixtureDir, zipFiles } from "../helpers/oneroster.ts";
import { collectionsFromCsv, startOneRosterApi } from "../helpers/oneroster-api.ts";
import { startWondeStandIn } from "../helpers/wonde-standin.ts";

const USERS =
  "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password";

describe("FirstSeen", () => {
  test("a new id answers 0 and a repeat its first place, across growth to many ids", () => {
    const seen = new FirstSeen();
    for (let index = 1; index <= 50_000; index++) expect(seen.claim(`user-${index}`, index + 1)).toBe(0);
    expect(seen.size).toBe(50_000);
    expect(seen.claim("user-1", 99_999)).toBe(2);
    expect(seen.claim("user-50000", 99_999)).toBe(50_001);
    expect(seen.claim("user-50001", 7)).toBe(0);
    // Ids that differ only in order or length are different ids.
    expect(seen.claim("ab", 1)).toBe(0);
    expect(seen.claim("ba", 2)).toBe(0);
    expect(seen.claim("", 3)).toBe(0);
    expect(seen.claim("\u0000", 4)).toBe(0);
  });
});

describe("OneRoster CSV", () => {
  test("a sourcedId twice in users.csv is one learner (the first) and an error at the second line naming the first", async () => {
    const sink = new CollectingSink();
    await readOneRosterZip(
      await zipFiles({
        "orgs.csv": "sourcedId,status,dateLastModified,name,type\nsch1,,,North,school\nsch1,,,North again,school\n",
        "classes.csv": "sourcedId,status,dateLastModified,title,classType,schoolSourcedId,termSourcedIds,courseSourcedId\ncls1,,,Robins,homeroom,sch1,,\n",
        "users.csv": `${USERS}\nu1,,,true,sch1,student,zoe,,Zoe,Ng,,,,,,,04,\nu2,,,true,sch1,student,kai,,Kai,Lee,,,,,,,04,\nu1,,,true,sch1,student,zed,,Zed,Other,,,,,,,04,\n`,
        "enrollments.csv":
          "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role\ne1,,,cls1,sch1,u1,student\ne1,,,cls1,sch1,u2,student\n",
      }),
      sink,
    );
    expect(sink.learners.map((learner) => [learner.sourceId, learner.givenName])).toEqual([
      ["u1", "Zoe"],
      ["u2", "Kai"],
    ]);
    expect(sink.schools.map((school) => school.name)).toEqual(["North"]);
    expect(sink.enrolments.map((enrolment) => enrolment.personSourceId)).toEqual(["u1"]);
    const errors = sink.problems.filter((problem) => problem.severity === "error");
    expect(errors).toEqual([
      expect.objectContaining({
        file: "orgs.csv",
        line: 3,
        field: "sourcedId",
        sourceId: "sch1",
        message: '"sch1" is also the sourcedId of line 2, which was read; this row was dropped',
      }),
      expect.objectContaining({
        file: "users.csv",
        line: 4,
        field: "sourcedId",
        sourceId: "u1",
        message: '"u1" is also the sourcedId of line 2, which was read; this row was dropped',
      }),
      expect.objectContaining({
        file: "enrollments.csv",
        line: 3,
        field: "sourcedId",
        sourceId: "e1",
        message: '"e1" is also the sourcedId of line 2, which was read; this row was dropped',
      }),
    ]);
  });
});

describe("OneRoster API", () => {
  test("a user sent twice is read once, the repeat an error naming both records", async () => {
    const collections = collectionsFromCsv(fixtureDir("edfi-or11"));
    const users = collections.users!;
    const repeat = { ...users[0]!, givenName: "Someone Else" };
    collections.users = [...users.slice(0, 3), repeat, ...users.slice(3)];
    const api = startOneRosterApi(collections, { maxPage: 4 });
    try {
      const sink = new CollectingSink();
      await readOneRosterApi({ baseUrl: api.baseUrl, tokenUrl: api.tokenUrl, clientId: "app-id", clientSecret: "app-secret" }, sink, {
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
      const firstId = String(users[0]!.sourcedId);
      expect(sink.learners.filter((learner) => learner.sourceId === firstId).map((learner) => learner.givenName)).toEqual([String(users[0]!.givenName)]);
      expect(sink.problems).toContainEqual(
        expect.objectContaining({
          severity: "error",
          file: "/users",
          line: 4,
          sourceId: firstId,
          message: `"${firstId}" is also the sourcedId of record 1, which was read; this row was dropped`,
        }),
      );
      expect(sink.learners.length + sink.educators.length).toBe(10);
    } finally {
      api.stop();
    }
  });
});

describe("Clever", () => {
  test("a section listed twice is one class; the repeat is an error naming both places", async () => {
    const demo = createDemoClever({ learners: 40, schoolYear: 2027 });
    // The demo district, with its sections list sending the first section again at the end.
    const server = serve(async (request) => {
      const response = await demo.app.fetch(request);
      if (!new URL(request.url).pathname.endsWith("/sections")) return response;
      const body = (await response.json()) as { data: unknown[]; links: unknown };
      return Response.json({ ...body, data: [...body.data, body.data[0]] });
    });
    try {
      const sink = new CollectingSink();
      await readClever(
        { districtId: DEMO_DISTRICT_ID, clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, apiBaseUrl: server.url, oauthBaseUrl: server.url },
        sink,
      );
      const ids = sink.classes.map((klass) => klass.sourceId);
      expect(new Set(ids).size).toBe(ids.length);
      const first = ids[0]!;
      expect(sink.problems).toEqual([
        expect.objectContaining({
          severity: "error",
          file: "/sections",
          entity: "class",
          sourceId: first,
          message: `${first} is listed twice in /sections (records 1 and ${ids.length + 1}); the first was read and the second left out`,
        }),
      ]);
      // Its places are not counted twice either.
      expect(sink.enrolments.filter((place) => place.role === "learner")).toHaveLength(40);
    } finally {
      server.stop();
    }
  });
});

describe("Wonde", () => {
  test("a pupil listed twice is one learner (the first record)", async () => {
    const student = (id: string, forename: string) => ({ id, forename, surname: "Okafor", date_of_birth: null, classes: { data: [] } });
    const standIn = startWondeStandIn({
      school: { id: "A1", name: "Willow Primary" },
      students: [student("S1", "Zoe"), student("S2", "Kai"), student("S1", "Zed")],
      employees: [],
      classes: [],
      groups: [],
      deletions: [],
    });
    try {
      const sink = new CollectingSink();
      await readWonde({ schoolId: "A1", token: "wonde-test-token", baseUrl: standIn.url }, sink, { perPage: 2 });
      expect(sink.learners.map((learner) => [learner.sourceId, learner.givenName])).toEqual([
        ["S1", "Zoe"],
        ["S2", "Kai"],
      ]);
      expect(sink.problems).toEqual([
        expect.objectContaining({
          severity: "error",
          file: "/students",
          entity: "learner",
          sourceId: "S1",
          message: "S1 is listed twice in /students (records 1 and 3); the first was read and the second left out",
        }),
      ]);
    } finally {
      standIn.stop();
    }
  });
});
