import { Hono } from "hono";
import { rosterCounts } from "../db/queries/roster.ts";
import { activeConnectionRow } from "../db/queries/connections.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { OverviewPage } from "../../views/overview.tsx";
import { type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireUser } from "./middleware.ts";

/** Mounted at /, so its guard names the one page it has. */
export const overviewRoutes = new Hono<AppEnv>();
overviewRoutes.use("/", requireUser);

overviewRoutes.get("/", async (c) => {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const [counts, licences, connection] = await Promise.all([
    rosterCounts(db, user.orgId),
    licensedProducts(db, user.orgId),
    activeConnectionRow(db, user.orgId),
  ]);
  return renderPage(
    c,
    { title: "Overview", current: "overview" },
    <OverviewPage orgName={user.orgName} counts={counts} licences={licences} isAdmin={user.role === "org_admin"} connected={connection !== null} />,
  );
});
