/**
 * The sync pages: status with live progress and Sync Now, import history, a run's detail with
 * its problems and changes (and their CSV downloads), and approve / cancel / undo.
 */
import { stringify } from "csv-stringify";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import { HistoryPage } from "../../views/sync/history.tsx";
import { SyncPage } from "../../views/sync/page.tsx";
import { StatusPanel, type StatusPanelProps } from "../../views/sync/parts.tsx";
import { type PreviewActions, RunPage } from "../../views/sync/run.tsx";
import {
  findRun,
  hasAppliedRun,
  type RunRow,
  HISTORY_PAGE_SIZE,
  isNewestRun,
  listRuns,
  pages,
  recentRuns,
  runItems,
  runProblems,
  runsPerDay,
  schoolNamesBySourceId,
} from "../db/queries/sync.ts";
import { syncSettingsOf } from "../db/queries/settings.ts";
import { countPendingPairs } from "../review/pairs.ts";
import { syncNowAvailability } from "../schedule/availability.ts";
import { failStaleRuns, NoSourceError, RunInProgressError, RunStateError } from "../sync/run/lifecycle.ts";
import { undoRun, UndoRefused } from "../sync/run/undo.ts";
import { type AppContext, type AppEnv, currentUser, isPartialRequest, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";
import { pageNumber, validatedQuery } from "./validate.ts";
import { SOURCE_NAMES } from "../roster/sources.ts";
import { speechOf } from "../roster/labels.ts";

/** Mounted at /sync: everyone signed in may look; only admins may start, approve, cancel or undo. */
export const syncRoutes = new Hono<AppEnv>();
syncRoutes.use(requireUser);
syncRoutes.on("POST", "*", requireAdmin);

const PAGE_ROWS = 200;

async function statusProps(c: AppContext, message?: StatusPanelProps["message"]): Promise<StatusPanelProps & { sourceName: string | null }> {
  const user = currentUser(c);
  const { database, sync } = c.get("deps");
  const db = database.db;
  // A run whose process died is failed here, not left "running" until a scheduler notices.
  await failStaleRuns(sync.deps, user.orgId);
  const [runs, settings, pairs, applied] = await Promise.all([
    recentRuns(db, user.orgId),
    syncSettingsOf(db, user.orgId),
    countPendingPairs(db, user.orgId),
    hasAppliedRun(db, user.orgId),
  ]);
  const schedule = settings ?? { scheduleEnabled: false, frequency: "daily" as const, weekday: 1, monthDay: 1, timeOfDay: "02:00" };
  const lastGood = runs.find((run) => run.status === "succeeded" && run.counts);
  const expectedRecords = lastGood?.counts
    ? Object.values(lastGood.counts).reduce((sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0)
    : null;
  return {
    run: runs[0] ?? null,
    timeZone: user.orgTimeZone,
    expectedRecords,
    canAct: user.role === "org_admin",
    availability: syncNowAvailability({ schedule, timeZone: user.orgTimeZone, runs, now: new Date() }),
    pendingReviews: pairs.count,
    firstSync: !applied,
    sourceName: settings?.activeSource ? SOURCE_NAMES[settings.activeSource] : null,
    message,
  };
}

async function syncPage(c: AppContext, message?: StatusPanelProps["message"], status = 200) {
  const props = await statusProps(c, message);
  if (isPartialRequest(c)) return c.html(<StatusPanel {...props} />, status as 200);
  return renderPage(c, { title: "Roster Sync Status", current: "sync", status }, <SyncPage {...props} />);
}

syncRoutes.get("/", (c) => syncPage(c));
syncRoutes.get("/status", async (c) => c.html(<StatusPanel {...(await statusProps(c))} />));

/** To another page: a plain form follows the redirect; htmx is told to load the page whole. */
function goTo(c: AppContext, url: string) {
  if (c.req.header("HX-Request") === "true") {
    c.header("HX-Redirect", url);
    return c.body(null, 204);
  }
  return c.redirect(url, 303);
}

/** A preview reads and plans as a sync would and changes nothing, so it never spends Sync Now. */
async function startPreview(c: AppContext) {
  const user = currentUser(c);
  try {
    const runId = await c.get("deps").sync.start({ orgId: user.orgId, trigger: "sync_now", dryRun: true, startedBy: user.userId });
    return goTo(c, `/sync/runs/${runId}`);
  } catch (error) {
    if (error instanceof NoSourceError) return syncPage(c, { kind: "error", text: error.message }, 409);
    throw error;
  }
}

syncRoutes.post("/preview", (c) => startPreview(c));

syncRoutes.post("/now", async (c) => {
  const user = currentUser(c);
  const props = await statusProps(c);
  if (!props.availability.available) return syncPage(c, { kind: "error", text: props.availability.reason }, 409);
  // A first sync is always previewed: nothing reaches the roster before the admin has seen it.
  if (props.firstSync) return startPreview(c);
  try {
    await c.get("deps").sync.start({ orgId: user.orgId, trigger: "sync_now", startedBy: user.userId });
  } catch (error) {
    if (error instanceof RunInProgressError || error instanceof NoSourceError) return syncPage(c, { kind: "error", text: error.message }, 409);
    throw error;
  }
  return syncPage(c, { kind: "success", text: "The sync has started. This page shows its progress; you can leave it and come back." });
});

syncRoutes.get("/history", validatedQuery(z.object({ page: pageNumber })), async (c) => {
  const user = currentUser(c);
  const { page } = c.req.valid("query");
  const db = c.get("deps").database.db;
  const [result, days] = await Promise.all([listRuns(db, user.orgId, page), runsPerDay(db, user.orgId, 30, new Date())]);
  return renderPage(
    c,
    { title: "Import history", current: "history" },
    <HistoryPage rows={result.rows} total={result.total} page={page} pageSize={HISTORY_PAGE_SIZE} days={days} timeZone={user.orgTimeZone} />,
  );
});

/** Where the run page's two lists start: after a problem's or a change's id (keyset paging, by the order they were recorded). */
const runListQuery = z.object({ problems: z.coerce.number().int().min(0).catch(0), changes: z.coerce.number().int().min(0).catch(0) });

async function runPage(c: AppContext, runId: string, notice?: string, problem?: { kind: "error"; text: string }, status = 200) {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const run = await findRun(db, user.orgId, runId);
  if (!run) return c.notFound();
  const from = runListQuery.parse(c.req.query());
  const [problems, changes, latest, schoolNames] = await Promise.all([
    runProblems(db, user.orgId, run.id, { afterId: from.problems, limit: PAGE_ROWS + 1 }),
    runItems(db, user.orgId, run.id, { entities: ["learner"], afterId: from.changes, limit: PAGE_ROWS + 1 }),
    recentRuns(db, user.orgId, 1),
    schoolNamesBySourceId(db, user.orgId, run.source),
  ]);
  const isLatest = latest[0]?.id === run.id;
  const preview = run.dryRun && run.status === "planned" ? await previewActions(c, run) : null;
  return renderPage(
    c,
    { title: run.dryRun ? "Preview" : "Sync run", current: "sync", status },
    <RunPage
      run={run}
      timeZone={user.orgTimeZone}
      problems={problems.slice(0, PAGE_ROWS)}
      moreProblems={problems.length > PAGE_ROWS}
      changes={changes.slice(0, PAGE_ROWS)}
      moreChanges={changes.length > PAGE_ROWS}
      listsFrom={from}
      canAct={user.role === "org_admin"}
      canUndo={user.role === "org_admin" && isLatest && run.status === "succeeded" && !run.dryRun && !run.undoneAt}
      notice={notice}
      valueContext={{ speech: speechOf(user.orgCountry), schoolName: (sourceId) => schoolNames.get(sourceId) }}
      preview={preview}
      problem={problem?.text}
    />,
  );
}

syncRoutes.get("/runs/:id", (c) => runPage(c, c.req.param("id")));

/**
 * What a finished preview lets the admin do: apply it while it is the newest run, as the Sync
 * Now it stands for (so the Sync Now rule applies, except to a first sync).
 */
async function previewActions(c: AppContext, run: RunRow): Promise<PreviewActions> {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const [newest, applied, props] = await Promise.all([isNewestRun(db, user.orgId, run.id), hasAppliedRun(db, user.orgId), statusProps(c)]);
  if (!newest)
    return {
      canApply: false,
      reason: "Another sync or preview has started since this preview, so it may be out of date. Preview again to see the changes as they are now.",
    };
  // The MIS user sync is a manual run of its own: the Sync Now rule does not apply to it.
  if (applied && run.trigger !== "wizard" && !props.availability.available) return { canApply: false, reason: props.availability.reason };
  return { canApply: user.role === "org_admin", reason: null };
}

syncRoutes.post("/runs/:id/apply", async (c) => {
  const user = currentUser(c);
  const run = await findRun(c.get("deps").database.db, user.orgId, c.req.param("id"));
  if (!run) return c.notFound();
  if (!run.dryRun || run.status !== "planned") return syncPage(c, { kind: "error", text: "Only a finished preview can be applied." }, 409);
  const actions = await previewActions(c, run);
  if (!actions.canApply) return runPage(c, run.id, undefined, { kind: "error", text: actions.reason ?? "This preview cannot be applied." }, 409);
  try {
    // The admin has just seen this plan: it is applied without a further hold (ARCHITECTURE.md, "Safety rules", 2).
    await c.get("deps").sync.start({ orgId: user.orgId, trigger: "sync_now", startedBy: user.userId, approved: true });
  } catch (error) {
    if (error instanceof RunInProgressError || error instanceof NoSourceError) return syncPage(c, { kind: "error", text: error.message }, 409);
    throw error;
  }
  return syncPage(c, { kind: "success", text: "Applying the changes you previewed. This page shows the progress; you can leave it and come back." });
});

/**
 * Spreadsheets run a cell that starts with =, +, -, @, a tab or a carriage return as a formula,
 * and names and messages come from schools' files. As OWASP recommends, such a cell is
 * prefixed with a single quote (csv-stringify's `escape_formulas` does this for all six, and
 * for their full-width forms) and every cell is quoted, so a `;` or tab inside a value cannot
 * start a new cell where a spreadsheet splits on it.
 */
const CSV_OPTIONS = { bom: true, escape_formulas: true, quoted: true } as const;

/** Streams rows as CSV, one page from the database at a time. */
function csvDownload(c: AppContext, fileName: string, header: string[], rows: AsyncIterable<unknown[]>) {
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="${fileName}"`);
  return stream(c, async (out) => {
    const encoder = stringify(CSV_OPTIONS);
    const writes = (async () => {
      for await (const chunk of encoder) await out.write(chunk as Buffer);
    })();
    encoder.write(header);
    for await (const row of rows) if (!encoder.write(row)) await new Promise((resolve) => encoder.once("drain", resolve));
    encoder.end();
    await writes;
  });
}

syncRoutes.get("/runs/:id/problems.csv", async (c) => {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const run = await findRun(db, user.orgId, c.req.param("id"));
  if (!run) return c.notFound();
  const rows = (async function* () {
    for await (const problem of pages((afterId) => runProblems(db, user.orgId, run.id, { afterId, limit: 1000 }))) {
      yield [problem.severity, problem.file ?? "", problem.line ?? "", problem.field ?? "", problem.entity ?? "", problem.sourceId ?? "", problem.message];
    }
  })();
  return csvDownload(c, `sync-${run.id.slice(0, 8)}-problems.csv`, ["severity", "file", "line", "field", "entity", "source_id", "message"], rows);
});

syncRoutes.get("/runs/:id/changes.csv", async (c) => {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const run = await findRun(db, user.orgId, c.req.param("id"));
  if (!run) return c.notFound();
  const rows = (async function* () {
    for await (const item of pages((afterId) => runItems(db, user.orgId, run.id, { entities: ["learner"], afterId, limit: 1000 }))) {
      const after = (item.after ?? {}) as { changes?: { field: string; before: unknown; after: unknown }[]; flags?: string[] };
      const changes = (after.changes ?? []).map((change) => `${change.field}: ${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}`).join("; ");
      yield [item.label ?? "", item.sourceId ?? "", item.entityId ?? "", item.status, item.action, changes, (after.flags ?? []).join("; ")];
    }
  })();
  return csvDownload(c, `sync-${run.id.slice(0, 8)}-changes.csv`, ["learner", "source_id", "rollcall_id", "status", "action", "changes", "flags"], rows);
});

syncRoutes.post("/runs/:id/approve", async (c) => {
  const user = currentUser(c);
  const run = await findRun(c.get("deps").database.db, user.orgId, c.req.param("id"));
  if (!run) return c.notFound();
  try {
    await c.get("deps").sync.approve({ orgId: user.orgId, runId: run.id, userId: user.userId });
  } catch (error) {
    if (error instanceof RunStateError || error instanceof RunInProgressError) return syncPage(c, { kind: "error", text: error.message }, 409);
    throw error;
  }
  return syncPage(c, { kind: "success", text: "Approved. The sync reads the roster again and applies it; follow it here." });
});

syncRoutes.post("/runs/:id/cancel", async (c) => {
  const user = currentUser(c);
  const run = await findRun(c.get("deps").database.db, user.orgId, c.req.param("id"));
  if (!run) return c.notFound();
  try {
    await c.get("deps").sync.cancel({ orgId: user.orgId, runId: run.id, userId: user.userId });
  } catch (error) {
    if (error instanceof RunStateError) return syncPage(c, { kind: "error", text: error.message }, 409);
    throw error;
  }
  return syncPage(c, { kind: "success", text: "Cancelled. Nothing was changed." });
});

syncRoutes.post("/runs/:id/undo", async (c) => {
  const user = currentUser(c);
  const { database, logger } = c.get("deps");
  const run = await findRun(database.db, user.orgId, c.req.param("id"));
  if (!run) return c.notFound();
  try {
    await undoRun({ database, logger }, { orgId: user.orgId, runId: run.id, userId: user.userId });
  } catch (error) {
    if (error instanceof UndoRefused) return syncPage(c, { kind: "error", text: error.message }, 409);
    throw error;
  }
  return runPage(c, run.id, "Undone: everything this sync changed is back as it was before it.");
});
