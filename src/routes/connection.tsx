/**
 * The roster source page: connect Clever, upload a OneRoster zip, or connect Wonde, and try
 * the connection. Secrets are sealed before they are stored and never rendered back.
 */
import { Hono } from "hono";
import { z } from "zod";
import { ConnectionPage, type ConnectionPageProps, type ConnectionSummary } from "../../views/connection/page.tsx";
import { activeConnectionRow } from "../db/queries/connections.ts";
import { checkCleverDistrict } from "../sources/clever/index.ts";
import { approvedSchools, checkWondeSchool, NO_WONDE_APP } from "../sources/wonde/app.ts";
import { NO_CLEVER_APP } from "../connections/reader.ts";
import { ReadFailed } from "../roster/snapshot.ts";
import { checkResolvedAddress } from "../sources/http/outbound.ts";
import { cleverDetails, type ConnectionDetails, type ConnectionSecret, loadConnection, saveConnection, wondeDetails } from "../connections/details.ts";
import { storeReceivedZip, uploadDirectory } from "../connections/uploads.ts";
import { type CheckedPlan, planAndCheck } from "../sync/run/lifecycle.ts";
import { describeOutOfScope } from "../../views/sync/out-of-scope.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { unreadableForm } from "./input.tsx";
import { receiveUpload } from "./receive-upload.ts";
import type { FieldErrors } from "../../views/components/forms.tsx";
import { type FormProblem, sentInput, validated } from "./validate.ts";

/**
 * The roster upload. It reads its own body, streamed to disk under its own limit
 * (MAX_UPLOAD_MB), so a general request-body limit must leave this one route out.
 */

/** Mounted at /settings/connection, inside the settings area, whose guard lets everyone signed in look and only admins change. */
export const connectionRoutes = new Hono<AppEnv>();

export function describeConnection(details: ConnectionDetails): string {
  switch (details.source) {
    case "clever":
      return `District ${details.districtId}.`;
    case "wonde":
      return `School ${details.schoolId}.`;
    case "oneroster":
      if (details.kind === "file") return `The uploaded file ${details.fileName ?? "roster.zip"}.`;
      return `The OneRoster API at ${new URL(details.baseUrl).host}, ${details.auth === "oauth1" ? "signed with OAuth 1.0a" : "signed in with OAuth 2"}.`;
  }
}

export async function activeConnection(c: AppContext): Promise<ConnectionSummary | null> {
  const row = await activeConnectionRow(c.get("deps").database.db, currentUser(c).orgId);
  if (!row) return null;
  const details = row.details as ConnectionDetails;
  return { source: row.source, description: describeConnection(details), hasSecret: Boolean(row.secret), updatedAt: row.updatedAt };
}

/** "500 MB", "1.5 GB": the upload limit as the page says it. */
function describeLimit(bytes: number): string {
  const megabytes = bytes / 1024 / 1024;
  return megabytes >= 1024 ? `${Number((megabytes / 1024).toFixed(1))} GB` : `${Math.floor(megabytes)} MB`;
}

/** The schools that approved the vendor's Wonde app, for the picker; none when there is no app or Wonde does not answer now. */
async function wondeSchools(c: AppContext): Promise<{ id: string; name: string }[]> {
  const { config } = c.get("deps");
  if (!config.vendors.wonde || currentUser(c).role !== "org_admin") return [];
  return approvedSchools(config.vendors.wonde, { addresses: config.sourceAddresses, signal: AbortSignal.timeout(10_000) }).catch(() => []);
}

async function page(c: AppContext, props: Omit<ConnectionPageProps, "active" | "canEdit" | "uploadLimit" | "wondeSchools">, status = 200) {
  const [active, schools] = await Promise.all([activeConnection(c), wondeSchools(c)]);
  const uploadLimit = describeLimit(c.get("deps").config.maxUploadBytes);
  return renderPage(
    c,
    { title: "Roster source", current: "settings", status },
    <ConnectionPage {...props} active={active} canEdit={currentUser(c).role === "org_admin"} uploadLimit={uploadLimit} wondeSchools={schools} />,
  );
}

connectionRoutes.get("/", (c) => page(c, {}));

type FormName = "clever" | "oneroster-api" | "wonde";

/** Saves, and says so in the admin's words. */
async function save(c: AppContext, details: ConnectionDetails, secret: ConnectionSecret | null, saved: string) {
  const user = currentUser(c);
  const { database, config } = c.get("deps");
  await saveConnection(database.db, { orgId: user.orgId, details, secret, encryptionKey: config.encryptionKey, actorUserId: user.userId });
  return page(c, { saved });
}

/** The form again, with what is wrong next to each field and what was entered (422). */
const sendBack = (form: FormName) => (c: AppContext, problem: FormProblem) =>
  page(c, { form, errors: problem.errors, values: problem.input as Record<string, string> }, 422);

const trimmed = z.string().trim();

/** The district ID, also from a pasted instant login link (the part after district_id=). */
export const cleverForm = z.object({
  districtId: z.preprocess(
    (value) => (typeof value === "string" ? (/district_id=([^&#\s]+)/.exec(value)?.[1] ?? value).trim().toLowerCase() : value),
    cleverDetails.shape.districtId,
  ),
});

/**
 * Clever must know the district: a wrong ID is refused here, not found out at the first sync.
 * Saved when it does; otherwise why not, for the field. The set-up's first step uses it too.
 */
export async function connectClever(c: AppContext, districtId: string): Promise<{ saved: string } | { problem: string }> {
  const user = currentUser(c);
  const { config, database } = c.get("deps");
  const app = config.vendors.clever;
  const check = app ? await checkCleverDistrict(app, districtId, { addresses: config.sourceAddresses }) : { ok: false as const, message: NO_CLEVER_APP };
  if (!check.ok) return { problem: check.message };
  await saveConnection(database.db, {
    orgId: user.orgId,
    details: { source: "clever", districtId },
    secret: null,
    encryptionKey: config.encryptionKey,
    actorUserId: user.userId,
  });
  return { saved: `Clever is connected: district ${districtId}. The next sync reads from it.` };
}

connectionRoutes.post("/clever", validated("form", cleverForm, sendBack("clever")), async (c) => {
  const connected = await connectClever(c, c.req.valid("form").districtId);
  if ("problem" in connected) return sendBack("clever")(c, { errors: { districtId: connected.problem }, input: await sentInput(c) });
  return page(c, { saved: connected.saved });
});

/** The school picked from those that approved the app, or its ID typed in. */
const wondeForm = z
  .object({ approvedSchoolId: trimmed.default(""), schoolId: trimmed.default("") })
  .transform((form) => ({ schoolId: form.approvedSchoolId || form.schoolId }))
  .pipe(
    z.object({
      schoolId: wondeDetails.shape.schoolId.regex(
        /^A\d{6,12}$/,
        "Choose your school, or enter its Wonde school ID: the letter A and digits, for example A1930499544.",
      ),
    }),
  );

connectionRoutes.post("/wonde", validated("form", wondeForm, sendBack("wonde")), async (c) => {
  const { schoolId } = c.req.valid("form");
  const { config } = c.get("deps");
  const app = config.vendors.wonde;
  // The school must have approved the app in Wonde: one that has not is told so here.
  const check = app ? await checkWondeSchool(app, schoolId, { addresses: config.sourceAddresses }) : { ok: false as const, message: NO_WONDE_APP };
  if (!check.ok) return sendBack("wonde")(c, { errors: { schoolId: check.message }, input: await sentInput(c) });
  return save(c, { source: "wonde", schoolId }, null, `Wonde is connected: ${check.name}. The next sync reads from it.`);
});

const oneRosterApiForm = z
  .object({
    baseUrl: trimmed.pipe(z.url({ protocol: /^https?$/, error: "Enter the API's address, for example https://sis.example.org/ims/oneroster/v1p1" })),
    auth: z.enum(["oauth2", "oauth1"], "Choose how your SIS signs requests.").default("oauth2"),
    tokenUrl: trimmed.default(""),
    clientId: trimmed.pipe(z.string().min(1, "Enter the client ID your SIS gave this app.")),
    clientSecret: trimmed.default(""),
  })
  .superRefine((form, context) => {
    // OAuth 1.0a signs each request with the client secret; only OAuth 2 has a token address.
    if (form.auth === "oauth2" && !z.url({ protocol: /^https?$/ }).safeParse(form.tokenUrl).success) {
      context.addIssue({
        code: "custom",
        path: ["tokenUrl"],
        message: "Enter the address that gives out access tokens, for example https://sis.example.org/oauth/token",
      });
    }
  });

/** The secret saved for the source, which a blank secret field keeps. */
async function keptSecret(c: AppContext, source: "oneroster"): Promise<ConnectionSecret | null> {
  const { database, config } = c.get("deps");
  return (await loadConnection(database.db, currentUser(c).orgId, source, config.encryptionKey))?.secret ?? null;
}

/** Why Rollcall will not connect to each address (where it will not). */
async function addressProblems(c: AppContext, fields: Record<string, string>): Promise<FieldErrors> {
  const policy = c.get("deps").config.sourceAddresses;
  const errors: FieldErrors = {};
  for (const [field, address] of Object.entries(fields)) {
    const problem = await checkResolvedAddress(address, policy);
    if (problem) errors[field] = problem;
  }
  return errors;
}

connectionRoutes.post("/oneroster-api", validated("form", oneRosterApiForm, sendBack("oneroster-api")), async (c) => {
  const values = c.req.valid("form");
  const errors = await addressProblems(c, values.auth === "oauth2" ? { baseUrl: values.baseUrl, tokenUrl: values.tokenUrl } : { baseUrl: values.baseUrl });
  // A blank secret keeps the saved one.
  const kept = values.clientSecret ? null : ((await keptSecret(c, "oneroster")) ?? null);
  const clientSecret = values.clientSecret || (kept && "clientSecret" in kept ? kept.clientSecret : "");
  if (!clientSecret) errors.clientSecret = "Enter the client secret your SIS gave this app.";
  if (Object.keys(errors).length) return sendBack("oneroster-api")(c, { errors, input: await sentInput(c) });
  const details: ConnectionDetails =
    values.auth === "oauth1"
      ? { source: "oneroster", kind: "rest", auth: "oauth1", baseUrl: values.baseUrl }
      : { source: "oneroster", kind: "rest", auth: "oauth2", baseUrl: values.baseUrl, tokenUrl: values.tokenUrl };
  return save(c, details, { clientId: values.clientId, clientSecret }, "The OneRoster API is connected. The next sync reads from it.");
});

/** The browser's name for a file, as display text: no control characters, not too long. */
const displayName = (name: string) =>
  name
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 120) || "roster.zip";

// The full path is ROSTER_UPLOAD_PATH, which the body limit leaves out (the upload tests post to it).
connectionRoutes.post("/oneroster", async (c) => {
  const user = currentUser(c);
  const { database, config } = c.get("deps");
  const received = await receiveUpload(c.req.raw, { directory: uploadDirectory(config.dataDir), field: "file", maxBytes: config.maxUploadBytes });
  if (received.kind === "too-large") {
    const limit = describeLimit(config.maxUploadBytes);
    return page(
      c,
      {
        form: "oneroster",
        errors: {
          file: `The file is larger than ${limit}, the most this server accepts. Export only the schools you need, or ask whoever runs Rollcall to raise the limit.`,
        },
      },
      413,
    );
  }
  if (received.kind === "damaged") throw unreadableForm();
  if (received.kind !== "file") return page(c, { form: "oneroster", errors: { file: "Choose the OneRoster zip to upload." } }, 422);
  const name = displayName(received.name);
  const stored = await storeReceivedZip(config.dataDir, user.orgId, received.path, config.maxUploadBytes);
  if ("problem" in stored) return page(c, { form: "oneroster", errors: { file: `${name}: ${stored.problem}` } }, 422);
  await saveConnection(database.db, {
    orgId: user.orgId,
    details: { source: "oneroster", kind: "file", path: stored.path, fileName: name },
    secret: null,
    encryptionKey: config.encryptionKey,
    actorUserId: user.userId,
  });
  return page(c, { saved: `${name} is uploaded. The next sync reads from it; try the connection to see what it holds.` });
});

/**
 * Reads the active source and plans as a sync would, without changing anything: the same read,
 * scope and safety rules (planAndCheck), judged as the next scheduled sync, so a file a sync
 * would refuse or hold is never called fine here.
 */
connectionRoutes.post("/check", async (c) => {
  const user = currentUser(c);
  const { database, config, sync } = c.get("deps");
  const active = await activeConnectionRow(database.db, user.orgId);
  const connection = active ? await loadConnection(database.db, user.orgId, active.source, config.encryptionKey) : null;
  if (!connection) return page(c, { check: { ok: false, message: "No roster source is connected yet.", problems: [] } }, 422);
  let checked: CheckedPlan;
  try {
    checked = await planAndCheck(sync.deps, { orgId: user.orgId, trigger: "scheduled", connection, signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    if (error instanceof ReadFailed) return page(c, { check: { ok: false, message: error.message, problems: [] } }, 422);
    throw error;
  }
  const { built, verdict } = checked;
  const read = built.readCounts;
  const message = `The source answered: ${read.schools} schools, ${read.classes} classes, ${read.learners} learners, ${read.educators} educators and ${read.enrolments} enrolments. Nothing was changed.`;
  const problems = built.plan.problems;
  const listed = problems
    .slice(0, 10)
    .map((problem) => `${[problem.file, problem.line].filter(Boolean).join(":")}${problem.field ? ` ${problem.field}` : ""}: ${problem.message}`);
  if (problems.length > listed.length) listed.push(`… and ${problems.length - listed.length} more problems; the sync's page lists them all.`);
  return page(c, {
    check: { ok: !verdict.hold, message, problems: listed, held: verdict.reasons, counts: built.plan.counts, outOfScope: describeOutOfScope(built.outOfScope) },
  });
});
