/** The roster sync settings page: read by everyone signed in, saved by admins, every change audited. */
import { Hono } from "hono";
import { SyncSettingsPage, type SyncSettingsValues } from "../../views/settings/sync.tsx";
import { activeConnectionRow } from "../db/queries/connections.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { crossChecks, enteredValues, saveSettings, scheduleErrors, storedSettings, syncSettingsForm } from "./sync-settings-form.ts";
import { setupRoutes } from "./setup.tsx";
import { yearEndRoutes } from "./year-end.tsx";
import { speechOf } from "../roster/labels.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";
import { connectionRoutes } from "./connection.tsx";
import { dataRoutes } from "./lifecycle.tsx";
import { SettingsIndexPage } from "../../views/settings-index.tsx";
import type { FieldErrors } from "../../views/components/forms.tsx";
import { type FormProblem, sentInput, validated } from "./validate.ts";

/** Mounted at /settings: the settings pages, read by staff who are signed in and changed only by admins. */
export const settingsRoutes = new Hono<AppEnv>();
settingsRoutes.use(requireUser);
settingsRoutes.on("POST", "*", requireAdmin);
settingsRoutes.get("/", (c) => renderPage(c, { title: "Settings", current: "settings" }, <SettingsIndexPage />));
settingsRoutes.route("/connection", connectionRoutes);
settingsRoutes.route("/data", dataRoutes);
settingsRoutes.route("/sync/setup", setupRoutes);
settingsRoutes.route("/year-end", yearEndRoutes);

async function page(c: AppContext, overrides: { values?: SyncSettingsValues; errors?: FieldErrors; saved?: boolean; status?: number } = {}) {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const [stored, products, connection] = await Promise.all([storedSettings(c), licensedProducts(db, user.orgId), activeConnectionRow(db, user.orgId)]);
  return renderPage(
    c,
    { title: "Roster Sync Settings", current: "sync-settings", status: overrides.status },
    <SyncSettingsPage
      values={overrides.values ?? stored.values}
      products={products}
      timeZone={user.orgTimeZone}
      offPeak={c.get("deps").config.offPeak}
      canEdit={user.role === "org_admin"}
      errors={overrides.errors}
      saved={overrides.saved}
      selectionScope={stored.selectionScope}
      speech={speechOf(user.orgCountry)}
      connected={connection !== null}
    />,
  );
}

settingsRoutes.get("/sync", (c) => page(c));

const sendBack = async (c: AppContext, problem: FormProblem) => {
  const stored = await storedSettings(c);
  return page(c, {
    values: enteredValues(stored.values, problem.input),
    errors: { ...(await crossChecks(c, problem.input, stored.selectionScope)), ...problem.errors },
    status: 422,
  });
};

settingsRoutes.post("/sync", validated("form", syncSettingsForm, sendBack), async (c) => {
  const values = c.req.valid("form");
  const stored = await storedSettings(c);
  const input = await sentInput(c);
  const errors = { ...(await crossChecks(c, input, stored.selectionScope)), ...scheduleErrors(c, input) };
  if (Object.keys(errors).length) return sendBack(c, { errors, input });
  await saveSettings(c, values, stored.selectionScope);
  return page(c, { saved: true });
});
