/**
 * `rollcall connect`, `rollcall sync`, `rollcall undo` and `rollcall year-end`: an operator's way
 * to set a source and run the same sync the pages and the scheduler run.
 */
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { eq } from "drizzle-orm";
import { syncSettings } from "../../db/schema/index.ts";
import { createLogger } from "../../lib/log.ts";
import { GRADE_CODES, type GradeCode } from "../../roster/snapshot.ts";
import { organizationExists } from "../../orgs/organizations.ts";
import { archiveSchoolYear } from "../../sync/run/year-end.ts";
import { type ConnectionDetails, type ConnectionSecret, saveConnection } from "../../connections/details.ts";
import { createSyncDeps } from "../../sync/run/deps.ts";
import { storeZipFrom } from "../../connections/uploads.ts";
import { REVIEW_STATUSES } from "../../run-record.ts";
import { describeOutOfScope } from "../../../views/sync/out-of-scope.ts";
import { approveRun, NoSourceError, type RunOutcome, RunInProgressError, RunStateError, syncOrganization } from "../../sync/run/lifecycle.ts";
import { undoRun, UndoRefused } from "../../sync/run/undo.ts";
import { withDatabase } from "../database.ts";
import { type CliCommand, requireString, UsageError } from "../run.ts";
import { oneRosterAuth } from "./read.ts";

/** --grades all, or grade codes separated by commas; undefined leaves the scope as it is. */
function gradesFromFlag(flag: string | undefined): GradeCode[] | undefined {
  if (flag === undefined) return undefined;
  if (flag === "all") return [...GRADE_CODES];
  const grades = flag.split(",").map((grade) => grade.trim());
  const unknown = grades.filter((grade) => !(GRADE_CODES as readonly string[]).includes(grade));
  if (unknown.length) throw new UsageError(`--grades: "${unknown.join(", ")}" is not a grade (use all, or codes such as ${GRADE_CODES.slice(2, 7).join(",")})`);
  return grades as GradeCode[];
}

const optional = (values: Record<string, unknown>, flag: string) => (typeof values[flag] === "string" ? (values[flag] as string) : undefined);

export async function requireOrganization(db: Parameters<typeof organizationExists>[0], orgId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(orgId) || !(await organizationExists(db, orgId)))
    throw new UsageError(`no organization with id "${orgId}" (see "rollcall org list")`);
}

/** The connection the flags describe, with its secret kept apart. A OneRoster file is copied under DATA_DIR. */
async function connectionFromFlags(
  values: Record<string, unknown>,
  orgId: string,
  config: { dataDir: string; maxUploadBytes: number },
): Promise<{ details: ConnectionDetails; secret: ConnectionSecret | null }> {
  const source = requireString(values, "source");
  if (source === "oneroster") {
    const file = optional(values, "file");
    if (file) {
      const path = resolve(file);
      if (!existsSync(path)) throw new UsageError(`--file "${file}" does not exist`);
      const stored = await storeZipFrom(config.dataDir, orgId, path, config.maxUploadBytes);
      if ("problem" in stored) throw new UsageError(`--file "${file}": ${stored.problem}`);
      return { details: { source, kind: "file", path: stored.path, fileName: basename(path) }, secret: null };
    }
    const auth = oneRosterAuth(values);
    return {
      details:
        auth === "oauth1"
          ? { source, kind: "rest", auth, baseUrl: requireString(values, "base-url") }
          : { source, kind: "rest", auth, baseUrl: requireString(values, "base-url"), tokenUrl: requireString(values, "token-url") },
      secret: { clientId: requireString(values, "client-id"), clientSecret: requireString(values, "client-secret") },
    };
  }
  if (source === "clever") {
    // The Clever app's credentials are the operator's (CLEVER_CLIENT_ID, CLEVER_CLIENT_SECRET): a district gives only its ID.
    return { details: { source, districtId: requireString(values, "district") }, secret: null };
  }
  if (source === "wonde") {
    // The Wonde app's token is the operator's (WONDE_APP_TOKEN): a school gives only its Wonde school ID.
    return { details: { source, schoolId: requireString(values, "school") }, secret: null };
  }
  throw new UsageError(`--source "${source}" is not one of clever, oneroster, wonde`);
}

export const connect: CliCommand = {
  name: ["connect"],
  summary: "set an organization's roster source (and make it the active one)",
  usage: [
    "--org ID --source oneroster --file ROSTER.zip",
    "--org ID --source oneroster --base-url URL --token-url URL --client-id ID --client-secret SECRET",
    "--org ID --source oneroster --base-url URL --auth oauth1 --client-id ID --client-secret SECRET",
    "--org ID --source clever --district DISTRICT_ID   (the Clever app is CLEVER_CLIENT_ID and CLEVER_CLIENT_SECRET)",
    "--org ID --source wonde --school SCHOOL_ID   (the Wonde app is WONDE_APP_TOKEN)",
    "",
    "Any of them with --grades all (or a list such as Kindergarten,1,2) sets which grades are synced;",
    "by default an organization syncs the early years (Clever's recommended sharing).",
  ].join("\n"),
  options: Object.fromEntries(
    ["org", "source", "file", "base-url", "token-url", "auth", "client-id", "client-secret", "district", "oauth-url", "school", "token", "grades"].map(
      (flag) => [flag, { type: "string" as const }],
    ),
  ),
  async run({ values, io }) {
    const orgId = requireString(values, "org");
    const grades = gradesFromFlag(optional(values, "grades"));
    await withDatabase(async (database, config) => {
      await requireOrganization(database.db, orgId);
      const { details, secret } = await connectionFromFlags(values, orgId, config);
      try {
        await saveConnection(database.db, { orgId, details, secret, encryptionKey: config.encryptionKey, actor: "operator" });
      } catch (error) {
        const issue = (error as { issues?: { path: unknown[]; message: string }[] }).issues?.[0];
        if (issue) throw new UsageError(`${issue.path.join(".")}: ${issue.message}`);
        throw error;
      }
      if (grades)
        await database.db
          .update(syncSettings)
          .set({ scope: { kind: "grades", grades } })
          .where(eq(syncSettings.orgId, orgId));
    });
    io.err(`Connected ${values.source} for organization ${orgId}; it is now the active source.`);
    return 0;
  },
};

function printOutcome(outcome: RunOutcome, json: boolean, out: (text: string) => void): void {
  const counts = outcome.counts;
  if (json) {
    out(
      JSON.stringify({
        runId: outcome.runId,
        status: outcome.status,
        counts: counts ?? null,
        outOfScope: outcome.outOfScope ?? null,
        ...(outcome.errorMessage ? { error: outcome.errorMessage } : {}),
        ...(outcome.reasons ? { reasons: outcome.reasons } : {}),
      }),
    );
    return;
  }
  out(`run ${outcome.runId}: ${outcome.status}`);
  if (outcome.errorMessage) out(outcome.errorMessage);
  for (const reason of outcome.reasons ?? []) out(`held: ${reason}`);
  for (const sentence of outcome.outOfScope ? describeOutOfScope(outcome.outOfScope) : []) out(`left out by the scope: ${sentence}`);
  if (!counts) return;
  out(["entity".padEnd(12), ...REVIEW_STATUSES.map((status) => status.padStart(10))].join(""));
  for (const [entity, byStatus] of Object.entries(counts)) {
    out([entity.padEnd(12), ...REVIEW_STATUSES.map((status) => String(byStatus[status]).padStart(10))].join(""));
  }
}

/** Errors an operator can act on become one line and exit 1; the rest propagate. */
async function explained<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RunInProgressError || error instanceof NoSourceError || error instanceof RunStateError || error instanceof UndoRefused) {
      throw new CliFailure(error.message);
    }
    throw error;
  }
}

class CliFailure extends Error {}

function failureToExit(io: { err(text: string): void }, error: unknown): number {
  if (error instanceof CliFailure) {
    io.err(error.message);
    return 1;
  }
  throw error;
}

export const sync: CliCommand = {
  name: ["sync"],
  summary: "sync an organization from its active source now (or plan only, or apply a held run)",
  usage: "--org ID [--dry-run] [--approve RUN_ID] [--json]\n\nExit 0 when the run succeeded, was planned (dry run) or is held for approval; 1 when it failed.",
  options: { org: { type: "string" }, "dry-run": { type: "boolean" }, approve: { type: "string" }, json: { type: "boolean" } },
  async run({ values, io }) {
    const orgId = requireString(values, "org");
    const approve = optional(values, "approve");
    if (approve && values["dry-run"]) throw new UsageError("--approve and --dry-run cannot be used together");
    try {
      const outcome = await withDatabase(async (database, config) => {
        await requireOrganization(database.db, orgId);
        const deps = createSyncDeps({ database, config, logger: createLogger(config.logLevel, (line) => console.error(line)), appUrl: config.appUrl });
        return explained(() =>
          approve
            ? approveRun(deps, { orgId, runId: approve, userId: null })
            : syncOrganization(deps, { orgId, trigger: "cli", dryRun: Boolean(values["dry-run"]) }),
        );
      });
      printOutcome(outcome, Boolean(values.json), io.out);
      return outcome.status === "failed" ? 1 : 0;
    } catch (error) {
      return failureToExit(io, error);
    }
  },
};

export const undo: CliCommand = {
  name: ["undo"],
  summary: "undo an organization's latest sync (within the retention period)",
  usage: "--org ID --run RUN_ID",
  options: { org: { type: "string" }, run: { type: "string" } },
  async run({ values, io }) {
    const orgId = requireString(values, "org");
    const runId = requireString(values, "run");
    try {
      await withDatabase(async (database, config) => {
        await requireOrganization(database.db, orgId);
        await explained(() => undoRun({ database, logger: createLogger(config.logLevel, (line) => console.error(line)) }, { orgId, runId, userId: null }));
      });
    } catch (error) {
      return failureToExit(io, error);
    }
    io.err(`Undid run ${runId}.`);
    return 0;
  },
};

export const yearEnd: CliCommand = {
  name: ["year-end"],
  summary: "archive an organization's learners and classes of a closed school year",
  usage:
    "--org ID --school-year YEAR\n\nYEAR is the year the school year ends in (2026 for 2025/26). Archived learners are\nfound again by auto-carryover when they return.",
  options: { org: { type: "string" }, "school-year": { type: "string" }, json: { type: "boolean" } },
  async run({ values, io }) {
    const orgId = requireString(values, "org");
    const schoolYear = Number(requireString(values, "school-year"));
    if (!Number.isInteger(schoolYear) || schoolYear < 2000 || schoolYear > 2100)
      throw new UsageError(`--school-year "${values["school-year"]}" must be a year such as 2026`);
    const archived = await withDatabase(async (database) => {
      await requireOrganization(database.db, orgId);
      return archiveSchoolYear(database, { orgId, schoolYear });
    });
    io.out(
      values.json
        ? JSON.stringify(archived)
        : `Archived ${archived.classes} classes and ${archived.learners} learners of ${schoolYear - 1}/${String(schoolYear).slice(2)}.`,
    );
    return 0;
  },
};
