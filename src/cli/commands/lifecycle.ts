/**
 * `rollcall export`, `rollcall org erase` and `rollcall learner erase`: an organization's data
 * out of Rollcall, and gone from it (issue 17 point 12). Removed learners are purged daily by
 * the scheduler; there is no command for that.
 */
import { createWriteStream } from "node:fs";
import { resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { eq } from "drizzle-orm";
import { organizations } from "../../db/schema/index.ts";
import { isUuid } from "../../db/queries/roster.ts";
import { createLogger } from "../../lib/log.ts";
import { EraseRefused, eraseLearner, LearnerNotFound } from "../../lifecycle/erase-learner.ts";
import { eraseOrganization } from "../../lifecycle/erase-organization.ts";
import { exportRoster } from "../../lifecycle/export.ts";
import { withDatabase } from "../database.ts";
import { type CliCommand, requireString, UsageError } from "../run.ts";
import { requireOrganization } from "./sync.ts";

const loggerFor = (config: { logLevel: "debug" | "info" | "warn" | "error" }) => createLogger(config.logLevel, (line) => console.error(line));

export const exportCommand: CliCommand = {
  name: ["export"],
  summary: "write an organization's current roster as a OneRoster 1.1 CSV zip",
  usage: [
    "--org ID --out ROSTER.zip [--json]",
    "",
    "Schools, sessions, classes, educators and learners (active or deactivated; a deactivated learner's",
    "account is marked turned off) with their places in classes. Ids are Rollcall's own. The zip reads",
    "back with: rollcall read --source oneroster --file ROSTER.zip",
  ].join("\n"),
  options: { org: { type: "string" }, out: { type: "string" }, json: { type: "boolean" } },
  async run({ values, io }) {
    const orgId = requireString(values, "org");
    const out = resolve(requireString(values, "out"));
    const counts = await withDatabase(async (database) => {
      await requireOrganization(database.db, orgId);
      const exported = await exportRoster(database, { orgId, actor: { kind: "operator" } });
      await pipeline(exported.zip, createWriteStream(out));
      return exported.counts;
    });
    if (values.json) io.out(JSON.stringify(counts));
    io.err(`Wrote ${counts.learners} learners, ${counts.educators} educators, ${counts.classes} classes and ${counts.enrolments} class places to ${out}.`);
    return 0;
  },
};

export const orgErase: CliCommand = {
  name: ["org", "erase"],
  summary: "erase an organization and every record it holds (cannot be undone)",
  usage: [
    '--org ID --confirm "ORGANIZATION NAME" [--json]',
    "",
    "--confirm must be the organization's name exactly, as `rollcall org list` shows it.",
    "Deletes its roster, staff accounts, sync history, settings, emails and uploaded files; the audit",
    "log keeps one record of the erasure (the organization's id, when, and how many rows went).",
  ].join("\n"),
  options: { org: { type: "string" }, confirm: { type: "string" }, json: { type: "boolean" } },
  async run({ values, io }) {
    const orgId = requireString(values, "org");
    const confirmName = typeof values.confirm === "string" ? values.confirm : undefined;
    if (confirmName === undefined) throw new UsageError('--confirm "ORGANIZATION NAME" is required');
    try {
      const counts = await withDatabase(async (database, config) => {
        await requireOrganization(database.db, orgId);
        const [org] = await database.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
        if (org!.name !== confirmName)
          throw new UsageError(`--confirm "${confirmName}" is not the organization's name exactly ("${org!.name}"); nothing was erased`);
        return eraseOrganization({ database, logger: loggerFor(config) }, { orgId, confirmName, dataDir: config.dataDir });
      });
      if (values.json) io.out(JSON.stringify(counts));
      io.err(`Erased organization ${orgId}: ${counts.learners ?? 0} learners, ${counts.staff_users ?? 0} staff accounts, ${counts.sync_runs ?? 0} syncs.`);
      return 0;
    } catch (error) {
      if (!(error instanceof EraseRefused)) throw error;
      io.err(error.message);
      return 1;
    }
  },
};

export const learnerErase: CliCommand = {
  name: ["learner", "erase"],
  summary: "erase one learner of an organization, on request (cannot be undone)",
  usage: [
    "--org ID --learner ID [--json]",
    "",
    "Deletes the learner, their class places, links, archive entries, match decisions, the personal",
    "details in sync history and emails to them. A learner still in the school's own system comes",
    "back as New at the next sync: have the school remove them there too.",
  ].join("\n"),
  options: { org: { type: "string" }, learner: { type: "string" }, json: { type: "boolean" } },
  async run({ values, io }) {
    const orgId = requireString(values, "org");
    const learnerId = requireString(values, "learner");
    if (!isUuid(learnerId)) throw new UsageError(`--learner "${learnerId}" is not a learner id (the id in the address of the learner's page)`);
    try {
      const counts = await withDatabase(async (database, config) => {
        await requireOrganization(database.db, orgId);
        return eraseLearner({ database, logger: loggerFor(config) }, { orgId, learnerId, actor: { kind: "operator" } });
      });
      if (values.json) io.out(JSON.stringify(counts));
      io.err(`Erased learner ${learnerId}: ${counts.enrolments} class places, ${counts.links} links, ${counts.runItemsCleared} sync history entries cleared.`);
      return 0;
    } catch (error) {
      if (error instanceof LearnerNotFound) throw new UsageError(`no learner with id "${learnerId}" in organization ${orgId}`);
      if (!(error instanceof EraseRefused)) throw error;
      io.err(error.message);
      return 1;
    }
  },
};
