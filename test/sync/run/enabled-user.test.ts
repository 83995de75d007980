/**
 * A learner the source has switched off (OneRoster enabledUser=false) is kept and synced,
 * but gets no access; switched on again, the access comes back (issue 16, point 8).
 */
import { afterEach, expect, test } from "bun:test";
import { readOneRosterZip } from "../../../src/sources/oneroster/index.ts";
import { CollectingSink } from "../../helpers/collect.ts";
import { zipFiles } from "../../helpers/oneroster.ts";
import { createSyncHarness, type SyncHarness } from "../../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("the OneRoster reader carries enabledUser=false to the learner, and only false", async () => {
  const sink = new CollectingSink();
  await readOneRosterZip(
    await zipFiles({
      "orgs.csv": "sourcedId,status,dateLastModified,name,type\nsch1,,,North,school\n",
      "classes.csv": "sourcedId,status,dateLastModified,title,classType,schoolSourcedId,termSourcedIds,courseSourcedId\ncls1,,,Robins,homeroom,sch1,,\n",
      "users.csv":
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName,grades\nu1,,,false,sch1,student,zoe,Zoe,Ng,04\nu2,,,true,sch1,student,kai,Kai,Lee,04\nu3,,,FALSE,sch1,student,al,Al,Bo,04\nu4,,,,sch1,student,mo,Mo,Li,04\n",
      "enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role\n",
    }),
    sink,
  );
  expect(sink.learners.map((learner) => [learner.sourceId, learner.enabled])).toEqual([
    ["u1", false],
    ["u2", undefined],
    ["u3", false],
    ["u4", undefined],
  ]);
});

test("a switched-off learner is synced without access; switched on, the next sync gives it back", async () => {
  harness = await createSyncHarness({ learners: 10 });
  harness.district.learners[0]!.enabled = false;
  const first = await harness.sync();
  expect(first.status).toBe("succeeded");
  const access = (sourceId: string) =>
    harness!.count("learners x join source_links l on l.entity_id = x.id", `l.source_id = '${sourceId}' and x.has_access and x.enabled_in_source`);
  expect(await harness.count("learners", "not enabled_in_source and not has_access")).toBe(1);
  expect(await harness.count("learners", "has_access")).toBe(9);
  expect(await access("stu-0")).toBe(0);

  // The same roster again changes nothing.
  const again = await harness.sync();
  expect(again.counts!.learners.Unchanged).toBe(10);

  harness.district.learners[0]!.enabled = undefined;
  const on = await harness.sync();
  expect(on.counts!.learners.Synced).toBe(1);
  expect(await access("stu-0")).toBe(1);
  expect(await harness.count("learners", "has_access")).toBe(10);

  harness.district.learners[1]!.enabled = false;
  const off = await harness.sync();
  expect(off.counts!.learners.Synced).toBe(1);
  expect(await access("stu-1")).toBe(0);
  expect(await harness.count("learners", "has_access")).toBe(9);
});
