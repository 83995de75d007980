/**
 * Year end in the browser (mounted at /settings/year-end, admins only): choose the school year
 * that has closed, see what archiving it moves to the archive, confirm, and see the result.
 * With auto-carryover on, a child who comes back in the next year's roster is found in the
 * archive and restored with their history.
 */
import { Hono } from "hono";
import { z } from "zod";
import { YearEndPage } from "../../views/settings/year-end.tsx";
import { syncSettingsOf } from "../db/queries/settings.ts";
import { archiveSchoolYear, openSchoolYears, previewSchoolYear } from "../sync/run/year-end.ts";
import { schoolYearOf } from "../sync/policy/placement.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin } from "./middleware.ts";
import { validated } from "./validate.ts";

export const yearEndRoutes = new Hono<AppEnv>();
yearEndRoutes.use(requireAdmin);

type Shown = Omit<Parameters<typeof YearEndPage>[0], "years" | "autoCarryover" | "currentSchoolYear">;

async function page(c: AppContext, shown: Shown = {}, status = 200) {
  const user = currentUser(c);
  const { database } = c.get("deps");
  const [years, settings] = await Promise.all([openSchoolYears(database, user.orgId), syncSettingsOf(database.db, user.orgId)]);
  return renderPage(
    c,
    { title: "Year end", current: "settings", status },
    <YearEndPage years={years} autoCarryover={settings.autoCarryover} currentSchoolYear={schoolYearOf(new Date())} {...shown} />,
  );
}

yearEndRoutes.get("/", (c) => page(c));

const yearForm = z.object({ schoolYear: z.coerce.number({ error: "Choose the school year that has ended." }).int().min(1990).max(2100) });
const confirmForm = yearForm.extend({ confirm: z.literal("on", { error: "Tick the box to confirm you want to archive this school year." }) });

yearEndRoutes.post(
  "/preview",
  validated("form", yearForm, (c, problem) => page(c, { errors: problem.errors }, 422)),
  async (c) => {
    const { schoolYear } = c.req.valid("form");
    const preview = await previewSchoolYear(c.get("deps").database, { orgId: currentUser(c).orgId, schoolYear });
    return page(c, { preview: { schoolYear, ...preview } });
  },
);

yearEndRoutes.post(
  "/",
  validated("form", confirmForm, async (c, problem) => {
    const schoolYear = Number(problem.input.schoolYear);
    if (!Number.isInteger(schoolYear)) return page(c, { errors: problem.errors }, 422);
    const preview = await previewSchoolYear(c.get("deps").database, { orgId: currentUser(c).orgId, schoolYear });
    return page(c, { preview: { schoolYear, ...preview }, errors: problem.errors }, 422);
  }),
  async (c) => {
    const user = currentUser(c);
    const { schoolYear } = c.req.valid("form");
    const archived = await archiveSchoolYear(c.get("deps").database, { orgId: user.orgId, schoolYear, userId: user.userId });
    return page(c, { archived: { schoolYear, ...archived } });
  },
);
