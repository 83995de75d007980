/**
 * The development outbox: in embedded mode with no RESEND_API_KEY, email is read here.
 * The routes exist only in embedded mode and answer only requests from this machine.
 */
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { Db } from "../db/client.ts";
import { isUuid } from "../db/queries/roster.ts";
import { emailOutbox } from "../db/schema/index.ts";
import { OutboxEmailPage, OutboxPage } from "../../views/dev/outbox.tsx";
import { type AppEnv, clientAddress, renderPage } from "./context.tsx";

export const devRoutes = new Hono<AppEnv>();

const LOCAL_ADDRESSES = new Set(["local", "127.0.0.1", "::1", "::ffff:127.0.0.1"]);

const embeddedAndLocal = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("deps").config.embedded || !LOCAL_ADDRESSES.has(clientAddress(c))) return c.notFound();
  await next();
});

devRoutes.use("/dev/*", embeddedAndLocal);

const columns = {
  id: emailOutbox.id,
  kind: emailOutbox.kind,
  toAddress: emailOutbox.toAddress,
  subject: emailOutbox.subject,
  status: emailOutbox.status,
  createdAt: emailOutbox.createdAt,
};

devRoutes.get("/dev/outbox", async (c) => {
  const rows = await c.get("deps").database.db.select(columns).from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(200);
  return renderPage(c, { title: "Development outbox" }, <OutboxPage rows={rows} />);
});

async function findEmail(db: Db, id: string) {
  if (!isUuid(id)) return undefined;
  const [email] = await db
    .select({ ...columns, textBody: emailOutbox.textBody, htmlBody: emailOutbox.htmlBody })
    .from(emailOutbox)
    .where(eq(emailOutbox.id, id));
  return email;
}

devRoutes.get("/dev/outbox/:id", async (c) => {
  const email = await findEmail(c.get("deps").database.db, c.req.param("id"));
  if (!email) return c.notFound();
  return renderPage(c, { title: email.subject }, <OutboxEmailPage email={email} />);
});

/** The email's own HTML, sandboxed: no scripts, no forms, nothing from elsewhere. */
devRoutes.get("/dev/outbox/:id/html", async (c) => {
  const email = await findEmail(c.get("deps").database.db, c.req.param("id"));
  if (!email) return c.notFound();
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  return c.html(email.htmlBody);
});
