/**
 * The roster source page: connect Clever, upload a OneRoster zip, or connect Wonde, and try
 * the connection. Secrets are sealed before they are stored and never rendered back.
 */
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { ConnectionPage, type ConnectionPageProps, type ConnectionSummary } from "../../views/connection/page.tsx";
import { SettingsIndexPage } from "../../views/settings-index.tsx";
import { connections, syncSettings } from "../db/schema/index.ts";
import { ReadFailed } from "../roster/snapshot.ts";
import { checkResolvedAddress } from "../sources/http/outbound.ts";
import { cleverDetails, type ConnectionDetails, type ConnectionSecret, loadConnection, saveConnection, wondeDetails } from "../connections/details.ts";
import { storeReceivedZip, uploadDirectory } from "../connections/uploads.ts";
import { type CheckedPlan, planAndCheck } from "../sync/run/lifecycle.ts";
import { describeOutOfScope } from "../../views/sync/out-of-scope.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";
import { unreadableForm } from "./input.tsx";
import { ROSTER_UPLOAD_PATH, receiveUpload } from "./receive-upload.ts";
import type { FieldErrors } from "../../views/components/forms.tsx";
import { fieldErrors } from "./validate.ts";

/**
 * The roster upload. It reads its own body, streamed to disk under its own limit
 * (MAX_UPLOAD_MB), so a general request-body limit must leave this one route out.
 */

export const connectionRoutes = new Hono<AppEnv>();
connectionRoutes.use("/settings/connection", requireUser);
connectionRoutes.use("/settings/connection/*", requireUser);
// Everyone signed in may look; only admins may change (the wildcard also matches the page itself).
connectionRoutes.on("POST", "/settings/connection/*", requireAdmin);

const SOURCE_NAMES = { clever: "Clever", oneroster: "OneRoster", "oneroster-api": "The OneRoster API", wonde: "Wonde" } as const;

function describe(details: ConnectionDetails): string {
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

async function activeConnection(c: AppContext): Promise<ConnectionSummary | null> {
  const db = c.get("deps").database.db;
  const orgId = currentUser(c).orgId;
  const [settings] = await db.select({ activeSource: syncSettings.activeSource }).from(syncSettings).where(eq(syncSettings.orgId, orgId));
  if (!settings?.activeSource) return null;
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.orgId, orgId), eq(connections.source, settings.activeSource)));
  if (!row) return null;
  const details = row.details as ConnectionDetails;
  return { source: row.source, description: describe(details), hasSecret: Boolean(row.secret), updatedAt: row.updatedAt };
}

/** "500 MB", "1.5 GB": the upload limit as the page says it. */
function describeLimit(bytes: number): string {
  const megabytes = bytes / 1024 / 1024;
  return megabytes >= 1024 ? `${Number((megabytes / 1024).toFixed(1))} GB` : `${Math.floor(megabytes)} MB`;
}

async function page(c: AppContext, props: Omit<ConnectionPageProps, "active" | "canEdit" | "uploadLimit">, status = 200) {
  const active = await activeConnection(c);
  const uploadLimit = describeLimit(c.get("deps").config.maxUploadBytes);
  return renderPage(
    c,
    { title: "Roster source", current: "settings", status },
    <ConnectionPage {...props} active={active} canEdit={currentUser(c).role === "org_admin"} uploadLimit={uploadLimit} />,
  );
}

connectionRoutes.get("/settings/connection", (c) => page(c, {}));

/** Saves, or answers the form again with what is wrong (422). */
async function save(c: AppContext, form: "clever" | "oneroster-api" | "wonde", details: ConnectionDetails, secret: ConnectionSecret | null) {
  const user = currentUser(c);
  const { database, config } = c.get("deps");
  await saveConnection(database.db, { orgId: user.orgId, details, secret, encryptionKey: config.encryptionKey, actorUserId: user.userId });
  return page(c, { saved: `${SOURCE_NAMES[form]} is connected. The next sync reads from it.` });
}

/** A blank secret field keeps the saved secret of the same source. */
async function keptSecret(c: AppContext, source: "clever" | "oneroster" | "wonde"): Promise<ConnectionSecret | null> {
  const { database, config } = c.get("deps");
  return (await loadConnection(database.db, currentUser(c).orgId, source, config.encryptionKey))?.secret ?? null;
}

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");

/** The client ID and secret a form posted; a blank secret keeps the saved one, and neither is an error on the field. */
async function clientCredentials(
  c: AppContext,
  source: "clever" | "oneroster",
  values: { clientId: string; clientSecret: string },
  errors: FieldErrors,
  missing: string,
) {
  if (values.clientSecret) return { clientId: values.clientId, clientSecret: values.clientSecret };
  const kept = await keptSecret(c, source);
  if (kept && "clientSecret" in kept) return { clientId: values.clientId, clientSecret: kept.clientSecret };
  errors.clientSecret ??= missing;
  return null;
}

const cleverForm = z.object({
  districtId: cleverDetails.shape.districtId,
  clientId: z.string().min(1, "Enter the client ID of your Clever app."),
  clientSecret: z.string(),
});

connectionRoutes.post("/settings/connection/clever", async (c) => {
  const body = await c.req.parseBody();
  const values = { districtId: text(body.districtId), clientId: text(body.clientId), clientSecret: text(body.clientSecret) };
  const parsed = cleverForm.safeParse(values);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error.issues);
  const secret = await clientCredentials(c, "clever", values, errors, "Enter the client secret of your Clever app.");
  if (!secret || Object.keys(errors).length) return page(c, { form: "clever", errors, values }, 422);
  return save(c, "clever", { source: "clever", districtId: values.districtId.toLowerCase() }, secret);
});

const wondeForm = z.object({
  schoolId: wondeDetails.shape.schoolId.regex(/^A\d{6,12}$/, "A Wonde school ID is the letter A and digits, for example A1930499544."),
  token: z.string(),
});

connectionRoutes.post("/settings/connection/wonde", async (c) => {
  const body = await c.req.parseBody();
  const values = { schoolId: text(body.schoolId), token: text(body.token) };
  const parsed = wondeForm.safeParse(values);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error.issues);
  const kept = values.token ? null : await keptSecret(c, "wonde");
  if (!values.token && !(kept && "token" in kept)) errors.token ??= "Enter the access token Wonde gave you for this school.";
  if (Object.keys(errors).length) return page(c, { form: "wonde", errors, values }, 422);
  return save(c, "wonde", { source: "wonde", schoolId: values.schoolId }, { token: values.token || (kept as { token: string }).token });
});

const oneRosterApiForm = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/, error: "Enter the API's address, for example https://sis.example.org/ims/oneroster/v1p1" }),
    auth: z.enum(["oauth2", "oauth1"], "Choose how your SIS signs requests."),
    tokenUrl: z.string(),
    clientId: z.string().min(1, "Enter the client ID your SIS gave this app."),
    clientSecret: z.string(),
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

/** Adds, to each address field that is well formed, why Rollcall will not connect to it (if it will not). */
async function checkAddresses(c: AppContext, fields: Record<string, string>, errors: FieldErrors): Promise<void> {
  const policy = c.get("deps").config.sourceAddresses;
  for (const [field, address] of Object.entries(fields)) {
    if (errors[field]) continue;
    const problem = await checkResolvedAddress(address, policy);
    if (problem) errors[field] = problem;
  }
}

connectionRoutes.post("/settings/connection/oneroster-api", async (c) => {
  const body = await c.req.parseBody();
  const values = {
    baseUrl: text(body.baseUrl),
    auth: text(body.auth) || "oauth2",
    tokenUrl: text(body.tokenUrl),
    clientId: text(body.clientId),
    clientSecret: text(body.clientSecret),
  };
  const parsed = oneRosterApiForm.safeParse(values);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error.issues);
  const auth = values.auth === "oauth1" ? "oauth1" : "oauth2";
  await checkAddresses(c, auth === "oauth2" ? { baseUrl: values.baseUrl, tokenUrl: values.tokenUrl } : { baseUrl: values.baseUrl }, errors);
  const secret = await clientCredentials(c, "oneroster", values, errors, "Enter the client secret your SIS gave this app.");
  if (!secret || Object.keys(errors).length) return page(c, { form: "oneroster-api", errors, values }, 422);
  const details: ConnectionDetails =
    auth === "oauth1"
      ? { source: "oneroster", kind: "rest", auth, baseUrl: values.baseUrl }
      : { source: "oneroster", kind: "rest", auth, baseUrl: values.baseUrl, tokenUrl: values.tokenUrl };
  return save(c, "oneroster-api", details, secret);
});

/** The browser's name for a file, as display text: no control characters, not too long. */
const displayName = (name: string) =>
  name
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 120) || "roster.zip";

connectionRoutes.post(ROSTER_UPLOAD_PATH, async (c) => {
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
connectionRoutes.post("/settings/connection/check", async (c) => {
  const user = currentUser(c);
  const { database, config, sync } = c.get("deps");
  const [settings] = await database.db.select({ activeSource: syncSettings.activeSource }).from(syncSettings).where(eq(syncSettings.orgId, user.orgId));
  const connection = settings?.activeSource ? await loadConnection(database.db, user.orgId, settings.activeSource, config.encryptionKey) : null;
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

connectionRoutes.get("/settings", requireUser, (c) => renderPage(c, { title: "Settings", current: "settings" }, <SettingsIndexPage />));
