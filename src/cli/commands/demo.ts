/** `rollcall demo oneroster`: the demo district written as a OneRoster zip, to try file imports with. */
import { resolve } from "node:path";
import { DemoDistrict } from "../../demo/district.ts";
import { OneRosterZipWriter } from "../../roster/oneroster-zip.ts";
import { emitDemoDistrict } from "../../demo/snapshot.ts";
import { type CliCommand, requireString, UsageError } from "../run.ts";

export const demoOneRoster: CliCommand = {
  name: ["demo", "oneroster"],
  summary: "write the demo district as a OneRoster 1.1 CSV zip",
  usage: "--out ROSTER.zip [--learners N] [--days D]\n\nD days of leavers, joiners, name changes and class moves after the first (default 0).",
  options: { out: { type: "string" }, learners: { type: "string" }, days: { type: "string" } },
  async run({ values, io }) {
    const out = resolve(requireString(values, "out"));
    const learners = Number(values.learners ?? 600);
    const days = Number(values.days ?? 0);
    if (!Number.isInteger(learners) || learners < 1 || learners > 1_000_000)
      throw new UsageError(`--learners "${values.learners}" must be a whole number from 1 to 1000000`);
    if (!Number.isInteger(days) || days < 0) throw new UsageError(`--days "${values.days}" must be a whole number, 0 or more`);
    const district = new DemoDistrict({ learners });
    for (let day = 0; day < days; day++) district.advanceDay();
    const writer = new OneRosterZipWriter();
    emitDemoDistrict(district, writer);
    await writer.finish(out);
    io.err(`Wrote the demo district (${learners} learners, day ${days}) to ${out}.`);
    return 0;
  },
};
