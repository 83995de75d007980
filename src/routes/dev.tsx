/**
 * The development outbox: in embedded mode with no RESEND_API_KEY, email is read here.
 * The routes exist only in embedded mode and answer only requests from this machine.
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { findEmail, latestEmails } from "../db/queries/outbox.ts";
import { OutboxEmailPage, OutboxPage } from "../../views/dev/outbox.tsx";
import { type AppEnv, clientAddress, renderPage } from "./context.tsx";

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

/** The email's own HTML, sandboxed: no scripts, no forms, nothing from elsewhere. */
devRoutes.get("/outbox/:id/html", async (c) => {
  const email = await findEmail(c.get("deps").database.db, c.req.param("id"));
  if (!email) return c.notFound();
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  return c.html(email.htmlBody);
});
