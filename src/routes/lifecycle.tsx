/**
 * An organization's data for its admins (issue 17 point 12): the roster download, and the
 * erasure of one learner on request. Admins only, and only their own organization's learners:
 * a learner of another organization is simply not found (404).
 */
import { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import { DataPage } from "../../views/lifecycle/data.tsx";
import { EraseLearnerPage, LearnerErasedPage } from "../../views/lifecycle/erase-learner.tsx";
import { countLearners, findLearner } from "../db/queries/roster.ts";
import { syncSettingsOf } from "../db/queries/settings.ts";
import { EraseRefused, eraseLearner, LearnerNotFound } from "../lifecycle/erase-learner.ts";
import { exportRoster } from "../lifecycle/export.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin } from "./middleware.ts";
import { validated } from "./validate.ts";

/** Mounted at /settings/data, inside the settings area: admins only. */
export const dataRoutes = new Hono<AppEnv>();
dataRoutes.use(requireAdmin);

/** Mounted inside the learners area, which lets only admins reach them. */
export const eraseLearnerRoutes = new Hono<AppEnv>();

dataRoutes.get("/", async (c) => {
  const { orgId } = currentUser(c);
  const db = c.get("deps").database.db;
  const [settings, removed] = await Promise.all([syncSettingsOf(db, orgId), countLearners(db, orgId, "removed")]);
  return renderPage(
    c,
    { title: "Your organization's data", current: "settings" },
    <DataPage retentionDays={settings.retentionDays} removedLearners={removed} />,
  );
});

/** Bun's server, as it reaches a route: it can lift the idle timeout for one request. */
type ServerEnv = { timeout?: (request: Request, seconds: number) => void } | undefined;

dataRoutes.get("/roster.zip", async (c) => {
  const user = currentUser(c);
  // The largest districts take over a minute to read before the first byte is sent; the
  // server's idle timeout (a minute) would cut the download off.
  (c.env as ServerEnv)?.timeout?.(c.req.raw, 0);
  const { zip } = await exportRoster(c.get("deps").database, { orgId: user.orgId, actor: { kind: "user", userId: user.userId } });
  c.header("Content-Type", "application/zip");
  c.header("Content-Disposition", `attachment; filename="roster-${new Date().toISOString().slice(0, 10)}.zip"`);
  // Children's records: never kept by a browser or a proxy.
  c.header("Cache-Control", "no-store");
  return stream(c, async (out) => {
    out.onAbort(() => {
      zip.destroy();
    });
    for await (const chunk of zip) await out.write(chunk as Uint8Array);
  });
});

async function learnerToErase(c: AppContext) {
  const found = await findLearner(c.get("deps").database.db, currentUser(c).orgId, c.req.param("id") ?? "");
  return found ? { id: found.id, name: `${found.givenName} ${found.familyName}`, classes: found.classes.length, linked: found.links.length > 0 } : null;
}

eraseLearnerRoutes.get("/:id/erase", async (c) => {
  const learner = await learnerToErase(c);
  if (!learner) return c.notFound();
  return renderPage(c, { title: `Erase ${learner.name}?`, current: "learners" }, <EraseLearnerPage learner={learner} />);
});

/** Names match whatever the spacing and capitals. */
const sameName = (typed: string, name: string) => typed.trim().replace(/\s+/g, " ").toLowerCase() === name.replace(/\s+/g, " ").toLowerCase();
const eraseForm = z.object({ confirmName: z.string().max(500).catch("") });

eraseLearnerRoutes.post(
  "/:id/erase",
  validated("form", eraseForm, (c) => c.notFound()),
  async (c) => {
    const learner = await learnerToErase(c);
    if (!learner) return c.notFound();
    const { confirmName } = c.req.valid("form");
    if (!sameName(confirmName, learner.name)) {
      const error = confirmName.trim() ? `That is not the learner's name. Type ${learner.name} to erase them.` : `Type ${learner.name} to erase them.`;
      return renderPage(
        c,
        { title: `Erase ${learner.name}?`, current: "learners", status: 422 },
        <EraseLearnerPage learner={learner} typed={confirmName} error={error} />,
      );
    }
    const user = currentUser(c);
    try {
      await eraseLearner(c.get("deps"), { orgId: user.orgId, learnerId: learner.id, actor: { kind: "user", userId: user.userId } });
    } catch (error) {
      if (error instanceof LearnerNotFound) return c.notFound();
      if (error instanceof EraseRefused)
        return renderPage(
          c,
          { title: `Erase ${learner.name}?`, current: "learners", status: 409 },
          <EraseLearnerPage learner={learner} typed={confirmName} error={error.message} />,
        );
      throw error;
    }
    return renderPage(c, { title: "Learner erased", current: "learners" }, <LearnerErasedPage />);
  },
);
