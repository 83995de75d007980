/**
 * The demo district written as a OneRoster zip reads back, through the OneRoster reader, as
 * the same roster the Clever mapping gives: the same people, classes and places.
 */
import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DemoDistrict } from "../../src/demo/district.ts";
import { OneRosterZipWriter } from "../../src/roster/oneroster-zip.ts";
import { emitDemoDistrict } from "../../src/demo/snapshot.ts";
import { readOneRosterZip } from "../../src/sources/oneroster/index.ts";
import { CollectingSink } from "../helpers/collect.ts";
import { cliEnvironment, runRollcall } from "../helpers/cli.ts";

test("the demo district as a OneRoster zip reads back as the same roster", async () => {
  const district = new DemoDistrict({ learners: 300 });
  district.advanceDay();
  const direct = new CollectingSink();
  emitDemoDistrict(district, direct);
  const writer = new OneRosterZipWriter();
  emitDemoDistrict(district, writer);
  const path = join(mkdtempSync(join(tmpdir(), "rollcall-demo-zip-")), "demo.zip");
  await writer.finish(path);

  const read = new CollectingSink();
  const summary = await readOneRosterZip(path, read);
  expect(summary).toMatchObject({ mode: "full", version: "1.1" });
  expect(read.problems.filter((problem) => problem.severity === "error")).toEqual([]);
  const people = (sink: CollectingSink) =>
    sink.learners.map((learner) => [
      learner.sourceId,
      learner.givenName,
      learner.familyName,
      learner.dateOfBirth,
      learner.gender,
      learner.yearGroup?.code,
      learner.studentNumber,
    ]);
  expect(direct.learners.length).toBeGreaterThan(250);
  expect(people(read)).toEqual(people(direct));
  expect(read.classes.map((klass) => [klass.sourceId, klass.kind, klass.name, klass.schoolSourceId])).toEqual(
    direct.classes.map((klass) => [klass.sourceId, klass.kind, klass.name, klass.schoolSourceId]),
  );
  expect(read.enrolments.length).toBe(direct.enrolments.length);
  expect(read.educators.length).toBe(direct.educators.length);
});

test("rollcall demo oneroster writes a zip that rollcall read can read", async () => {
  const env = cliEnvironment(undefined);
  const out = join(mkdtempSync(join(tmpdir(), "rollcall-demo-cli-")), "demo.zip");
  const written = await runRollcall(["demo", "oneroster", "--out", out, "--learners", "120"], env);
  expect(written.exitCode).toBe(0);
  const read = await runRollcall(["read", "--source", "oneroster", "--file", out, "--json"], env);
  expect(read.exitCode).toBe(0);
  const output = JSON.parse(read.stdout) as { counts: { learners: number; schools: number } };
  expect(output.counts.learners).toBe(120);
  expect(output.counts.schools).toBe(3);
  expect((await runRollcall(["demo", "oneroster", "--out", out, "--learners", "lots"], env)).exitCode).toBe(2);
});
