/**
 * The Clever client against a stand-in that replays Clever's own recorded payloads
 * (test/fixtures/clever, from Clever's public demo district) through the documented API.
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createCleverApi, type CleverCollection } from "../../../src/demo/clever-api.ts";
import { readClever } from "../../../src/sources/clever/index.ts";
import { CollectingSink, serve } from "../../helpers/collect.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/clever/${name}`, import.meta.url), "utf8"));
const student = fixture("v3.0_users_id_student.json").data;
const section = fixture("v3.0_sections_id.json").data;
const terms = fixture("v3.0_terms_list.json").data.map((item: { data: unknown }) => item.data);
const events = fixture("v3.0_events_page_EXCERPT_2_of_100.json").data.map((item: { data: unknown }) => item.data);
const districtId = student.district as string;

// The recorded section's students include the recorded student, so one class place survives.
section.students = [...section.students, student.id];

const collections: Record<CleverCollection, { id: string }[]> = {
  districts: [{ id: districtId }],
  schools: [],
  terms,
  courses: [],
  sections: [section],
  students: [student],
  teachers: [],
  events,
};
const records = {
  districtId,
  page: (collection: CleverCollection, after: string | undefined, limit: number) => {
    const sorted = [...collections[collection]].sort((a, b) => a.id.localeCompare(b.id));
    return sorted.filter((record) => !after || record.id > after).slice(0, limit);
  },
  find: (collection: "users" | "sections", id: string) => (collection === "users" ? [student] : [section]).find((record) => record.id === id),
};
const credentials = { clientId: "app", clientSecret: "secret", accessToken: "token" };
const requests: string[] = [];
const { app } = createCleverApi(records, credentials, { log: (path) => requests.push(path) });
const server = serve(app.fetch);
afterAll(() => server.stop());

const connection = { districtId, clientId: "app", clientSecret: "secret", apiBaseUrl: server.url, oauthBaseUrl: server.url };

test("the recorded student, section and terms map to the snapshot", async () => {
  const sink = new CollectingSink();
  const summary = await readClever(connection, sink);
  expect(summary.cursor).toBe(events.at(-1).id);
  expect(sink.learners).toEqual([
    expect.objectContaining({
      sourceId: "58da8c63d7dc0ca068000478",
      givenName: "James",
      middleName: "H",
      familyName: "Spencer",
      dateOfBirth: "1998-01-16",
      gender: "male",
      yearGroup: { code: "9", label: "9" },
      email: "james.s@example.com",
      username: "jamess09",
      studentNumber: "233564109",
      stateId: "197500067",
      schoolSourceIds: ["58da8c58155b940248000007", "58da8c58155b940248000008"],
      demographics: { ethnicity: ["Caucasian"], hispanicOrLatino: true },
    }),
  ]);
  expect(sink.classes).toEqual([
    expect.objectContaining({
      sourceId: section.id,
      name: "Sixth Grade Advisory - Madison - 4",
      kind: "registration_group",
      yearGroups: [{ code: "6", label: "6" }],
      period: "4",
      academicSessionSourceIds: [section.term_id],
    }),
  ]);
  // Only the place of the student who was read; the others' records were not shared with us.
  expect(sink.enrolments).toEqual([{ classSourceId: section.id, personSourceId: student.id, role: "learner" }]);
  expect(sink.academicSessions.find((term) => term.title === "Y1")).toMatchObject({ startDate: "2012-08-01", endDate: "2013-06-01", schoolYear: 2013 });
  expect(requests).toContain("/v3.0/users");
});

test("an events read replays the recorded events as records from the cursor", async () => {
  const sink = new CollectingSink();
  const summary = await readClever({ ...connection, cursor: "0" }, sink, { mode: "events" });
  expect(summary.mode).toBe("delta");
  expect(sink.learners.map((learner) => `${learner.givenName} ${learner.familyName} ${learner.dateOfBirth}`)).toEqual([
    "Richard Collins 1998-02-20",
    "Douglas Wisoky 1998-06-18",
  ]);
  // Processed again from the same cursor, the same events give the same records (idempotent).
  const again = new CollectingSink();
  await readClever({ ...connection, cursor: "0" }, again, { mode: "events" });
  expect(again.learners).toEqual(sink.learners);
});
