/** The roster pages: learners and classes of the signed-in user's organization. */
import { Hono } from "hono";
import { z } from "zod";
import { findClass, findLearner, listClasses, listLearners, PAGE_SIZE } from "../db/queries/roster.ts";
import { ClassesPage, ClassPage } from "../../views/roster/classes.tsx";
import { LearnerPage, LearnersPage } from "../../views/roster/learners.tsx";
import { type AppEnv, currentUser, renderPage } from "./context.tsx";
import { eraseLearnerRoutes } from "./lifecycle.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";
import { pageNumber, validatedQuery } from "./validate.ts";

/** Mounted at /learners: every page for staff who are signed in; erasing a learner for admins. */
export const learnerRoutes = new Hono<AppEnv>();
learnerRoutes.use(requireUser);
learnerRoutes.use("/:id/erase", requireAdmin);
learnerRoutes.route("/", eraseLearnerRoutes);

/** Mounted at /classes. */
export const classRoutes = new Hono<AppEnv>();
classRoutes.use(requireUser);

const learnerQuery = z.object({
  q: z.string().trim().max(200).catch(""),
  status: z.enum(["active", "inactive", "removed", "archived"]).catch("active"),
  page: pageNumber,
});

learnerRoutes.get("/", validatedQuery(learnerQuery), async (c) => {
  const user = currentUser(c);
  const query = c.req.valid("query");
  const result = await listLearners(c.get("deps").database.db, user.orgId, { search: query.q || undefined, status: query.status, page: query.page });
  return renderPage(
    c,
    { title: "Learners", current: "learners" },
    <LearnersPage rows={result.rows} total={result.total} page={query.page} pageSize={PAGE_SIZE} search={query.q} status={query.status} />,
  );
});

learnerRoutes.get("/:id", async (c) => {
  const learner = await findLearner(c.get("deps").database.db, currentUser(c).orgId, c.req.param("id"));
  if (!learner) return c.notFound();
  return renderPage(
    c,
    { title: `${learner.givenName} ${learner.familyName}`, current: "learners" },
    <LearnerPage learner={learner} canErase={currentUser(c).role === "org_admin"} />,
  );
});

classRoutes.get("/", validatedQuery(z.object({ page: pageNumber })), async (c) => {
  const { page } = c.req.valid("query");
  const result = await listClasses(c.get("deps").database.db, currentUser(c).orgId, page);
  return renderPage(c, { title: "Classes", current: "classes" }, <ClassesPage rows={result.rows} total={result.total} page={page} pageSize={PAGE_SIZE} />);
});

classRoutes.get("/:id", async (c) => {
  const found = await findClass(c.get("deps").database.db, currentUser(c).orgId, c.req.param("id"));
  if (!found) return c.notFound();
  return renderPage(c, { title: found.nameOverride ?? found.name, current: "classes" }, <ClassPage found={found} />);
});
