/**
 * The development outbox (in embedded mode with no RESEND_API_KEY, email is read here) and the
 * demo district's day. The routes exist only in embedded mode and answer only requests from
 * this machine.
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { findEmail, latestEmails } from "../db/queries/outbox.ts";
import { OutboxEmailPage, OutboxPage } from "../../views/dev/outbox.tsx";
import { DemoDistrictPage } from "../../views/dev/demo.tsx";
import { NoSourceError, RunInProgressError } from "../sync/run/lifecycle.ts";
import { type AppContext, type AppEnv, clientAddress, currentUser, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";

export const devRoutes = new Hono<AppEnv>();

const LOCAL_ADDRESSES = new Set(["local", "127.0.0.1", "::1", "::ffff:127.0.0.1"]);

const embeddedAndLocal = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("deps").config.embedded || !LOCAL_ADDRESSES.has(clientAddress(c))) return c.notFound();
  await next();
});

devRoutes.use(embeddedAndLocal);

devRoutes.get("/outbox", async (c) => {
  const rows = await latestEmails(c.get("deps").database.db);
  return renderPage(c, { title: "Development outbox" }, <OutboxPage rows={rows} />);
});

devRoutes.get("/outbox/:id", async (c) => {
  const email = await findEmail(c.get("deps").database.db, c.req.param("id"));
  if (!email) return c.notFound();
  return renderPage(c, { title: email.subject }, <OutboxEmailPage email={email} />);
});

/**
 * The demo district a day at a time: each day brings joiners, leavers and changes, logged as
 * Clever events, and the scheduled sync started here reads them as the nightly one would.
 */
devRoutes.get("/demo", requireUser, requireAdmin, (c) => demoPage(c));

devRoutes.post("/demo/next-day", requireUser, requireAdmin, (c) => {
  const district = c.get("deps").demoDistrict;
  if (!district) return c.notFound();
  district.advanceDay();
  return demoPage(c, `The demo district is now on day ${district.day}.`);
});

devRoutes.post("/demo/scheduled-sync", requireUser, requireAdmin, async (c) => {
  try {
    const runId = await c.get("deps").sync.start({ orgId: currentUser(c).orgId, trigger: "scheduled" });
    return c.redirect(`/sync/runs/${runId}`, 303);
  } catch (error) {
    if (error instanceof RunInProgressError || error instanceof NoSourceError) return demoPage(c, undefined, error.message);
    throw error;
  }
});

function demoPage(c: AppContext, notice?: string, problem?: string) {
  const district = c.get("deps").demoDistrict;
  if (!district) return c.notFound();
  return renderPage(c, { title: "Demo district" }, <DemoDistrictPage day={district.day} notice={notice} problem={problem} />);
}

/** The email's own HTML, sandboxed: no scripts, no forms, nothing from elsewhere. */
devRoutes.get("/outbox/:id/html", async (c) => {
  const email = await findEmail(c.get("deps").database.db, c.req.param("id"));
  if (!email) return c.notFound();
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  return c.html(email.htmlBody);
});
