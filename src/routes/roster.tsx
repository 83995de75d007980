/** The roster pages: learners and classes of the signed-in user's organization. */
import { Hono } from "hono";
import { z } from "zod";
import { CLASS_KEY_SHAPE, findClass, findLearner, hasAnyClass, hasAnyLearner, LEARNER_KEY_SHAPE, listClasses, listLearners } from "../db/queries/roster.ts";
import { encodeKey, type KeysetPage } from "../db/queries/keyset.ts";
import { ClassesPage, ClassPage } from "../../views/roster/classes.tsx";
import { LearnerPage, LearnersPage } from "../../views/roster/learners.tsx";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { learnersWaitingForAccess, renameClass, setAccess, setJourneys, teachesClass } from "../db/queries/roster-edits.ts";
import { syncSettingsOf } from "../db/queries/settings.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { speechOf } from "../roster/labels.ts";
import { pendingVerificationEmail, resendWait, sendVerification } from "../auth/learner-accounts.ts";
import { waitInWords } from "./auth.tsx";
import { eraseLearnerRoutes } from "./lifecycle.tsx";
import { journeyRoutes } from "./journeys.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";
import { validated, validatedQuery } from "./validate.ts";
import { pageFields, pastTheEnd, seekOf } from "./paging.ts";
import { rosterChoices } from "../db/queries/learner-selection.ts";

/** Mounted at /learners: every page for staff who are signed in; every change (journey, access, erasing) for admins. */
export const learnerRoutes = new Hono<AppEnv>();
learnerRoutes.use(requireUser);
learnerRoutes.use("/:id/erase", requireAdmin);
learnerRoutes.on("POST", "*", requireAdmin);
// Before "/:id", which would otherwise take "journeys" for a learner's id.
learnerRoutes.route("/journeys", journeyRoutes);
learnerRoutes.route("/", eraseLearnerRoutes);

/** Mounted at /classes. */
export const classRoutes = new Hono<AppEnv>();
classRoutes.use(requireUser);

/** Every filter falls back to "any" when a link or bookmark carries something unknown. */
const anyText = z.string().trim().max(200).catch("");
const learnerQuery = z.object({
  q: anyText,
  status: z.enum(["active", "inactive", "removed", "archived"]).catch("active"),
  school: anyText,
  year: anyText,
  class: anyText,
  access: z.enum(["yes", "no", ""]).catch(""),
  linked: z.enum(["yes", "no", ""]).catch(""),
  ...pageFields,
});

/** The filters a list's links keep: the query without the paging fields. */
function filtersOf<Query extends Record<string, string>>(query: Query) {
  const { after: _after, before: _before, from: _from, last: _last, ...filters } = query;
  return filters;
}

/** The keys a page's Previous and Next links carry. */
const linksOf = (page: KeysetPage<unknown>) => ({
  previous: page.hasPrevious && page.firstKey ? encodeKey(page.firstKey) : null,
  next: page.hasNext && page.lastKey ? encodeKey(page.lastKey) : null,
});

/** The most classes a list page's class picker offers; past it, the admin chooses a school first. */
const CLASS_CHOICES = 500;

type PageMessages = { notice?: string; error?: string; status?: number };

async function learnersPage(c: AppContext, messages: PageMessages = {}) {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const query = learnerQuery.parse(c.req.query());
  const filter = {
    search: query.q || undefined,
    status: query.status,
    schoolId: query.school || undefined,
    yearGroupCode: query.year || undefined,
    classId: query.class || undefined,
    access: query.access || undefined,
    linked: query.linked || undefined,
  };
  const [result, waiting, choices, any] = await Promise.all([
    listLearners(db, user.orgId, filter, seekOf(query, LEARNER_KEY_SHAPE)),
    user.role === "org_admin" ? learnersWaitingForAccess(db, user.orgId) : Promise.resolve(0),
    rosterChoices(db, user.orgId, { classCap: CLASS_CHOICES, schoolId: query.school }),
    hasAnyLearner(db, user.orgId),
  ]);
  const past = pastTheEnd(c, result);
  if (past) return past;
  return renderPage(
    c,
    { title: user.orgCountry === "GB" ? "Students" : "Learners", current: "learners", status: messages.status },
    <LearnersPage
      rows={result.rows}
      total={result.total}
      links={linksOf(result)}
      from={query.from}
      query={filtersOf(query)}
      choices={choices}
      speech={speechOf(user.orgCountry)}
      hasAny={any}
      waitingForAccess={waiting}
      notice={messages.notice}
    />,
  );
}

learnerRoutes.get("/", validatedQuery(learnerQuery), (c) => learnersPage(c));

async function learnerPage(c: AppContext, messages: PageMessages = {}) {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const learner = await findLearner(db, user.orgId, c.req.param("id") ?? "");
  if (!learner) return c.notFound();
  const [products, pendingEmail] = await Promise.all([licensedProducts(db, user.orgId), pendingVerificationEmail(db, user.orgId, learner.id)]);
  return renderPage(
    c,
    { title: `${learner.givenName} ${learner.familyName}`, current: "learners", status: messages.status },
    <LearnerPage
      learner={learner}
      canEdit={user.role === "org_admin"}
      products={products}
      speech={speechOf(user.orgCountry)}
      pendingEmail={pendingEmail}
      notice={messages.notice}
      error={messages.error}
    />,
  );
}

learnerRoutes.get("/:id", (c) => learnerPage(c));

const classQuery = z.object({ q: anyText, school: anyText, grade: anyText, ...pageFields });

classRoutes.get("/", validatedQuery(classQuery), async (c) => {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const query = c.req.valid("query");
  const [result, choices, any] = await Promise.all([
    listClasses(
      db,
      user.orgId,
      { search: query.q || undefined, schoolId: query.school || undefined, gradeCode: query.grade || undefined },
      seekOf(query, CLASS_KEY_SHAPE),
    ),
    rosterChoices(db, user.orgId, { classCap: CLASS_CHOICES, schoolId: query.school }),
    hasAnyClass(db, user.orgId),
  ]);
  const past = pastTheEnd(c, result);
  if (past) return past;
  return renderPage(
    c,
    { title: "Classes", current: "classes" },
    <ClassesPage
      rows={result.rows}
      total={result.total}
      links={linksOf(result)}
      from={query.from}
      query={filtersOf(query)}
      choices={choices}
      speech={speechOf(user.orgCountry)}
      hasAny={any}
    />,
  );
});

async function classPage(c: AppContext, messages: PageMessages = {}) {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const found = await findClass(db, user.orgId, c.req.param("id") ?? "");
  if (!found) return c.notFound();
  const [settings, teaches] = await Promise.all([syncSettingsOf(db, user.orgId), user.role === "org_admin" ? true : teachesClass(db, user, found.id)]);
  return renderPage(
    c,
    { title: found.nameOverride ?? found.name, current: "classes", status: messages.status },
    <ClassPage
      found={found}
      rename={teaches ? { allowed: settings.allowClassNameOverride, whyNot: RENAME_OFF } : null}
      notice={messages.notice}
      error={messages.error}
    />,
  );
}

classRoutes.get("/:id", (c) => classPage(c));

const classNameForm = z.object({ name: z.string().trim().max(200, "Keep the name under 200 characters.").default("") });

/**
 * Renames a class (admins, and the class's own teachers). The name is Rollcall's own: a sync
 * keeps it while the organization allows edits to classroom names, so with that setting off a
 * rename would be undone by the next sync and is refused with the reason.
 */
classRoutes.post(
  "/:id/name",
  validated("form", classNameForm, (c, problem) => classPage(c, { error: problem.errors.name ?? "Enter a name.", status: 422 })),
  async (c) => {
    const user = currentUser(c);
    const db = c.get("deps").database.db;
    const found = await findClass(db, user.orgId, c.req.param("id"));
    if (!found) return c.notFound();
    if (user.role !== "org_admin" && !(await teachesClass(db, user, found.id)))
      return classPage(c, { error: "Only admins and the class's own teachers can rename it.", status: 403 });
    if (!(await syncSettingsOf(db, user.orgId)).allowClassNameOverride) return classPage(c, { error: RENAME_OFF, status: 409 });
    const name = c.req.valid("form").name;
    // The source's own name (or an empty field) goes back to following the source.
    await renameClass(db, user, found.id, name && name !== found.name ? name : null);
    return classPage(c, {
      notice: name && name !== found.name ? `Renamed to “${name}”. Syncs keep this name.` : "The class follows the name in your school's system again.",
    });
  },
);

const RENAME_OFF =
  "Class names come from your school's system, so a new name here would be undone by the next sync. To rename classes in Rollcall, an admin turns on “Allow edits to classroom names to override roster names” in Roster Sync Settings.";

const journeyForm = z.object({ productId: z.string().max(100).default("") });

/** A learner's educational journey: licensed products only. */
learnerRoutes.post(
  "/:id/journey",
  validated("form", journeyForm, (c) => learnerPage(c, { error: "Choose a journey.", status: 422 })),
  async (c) => {
    const user = currentUser(c);
    const db = c.get("deps").database.db;
    const learner = await findLearner(db, user.orgId, c.req.param("id"));
    if (!learner) return c.notFound();
    const productId = c.req.valid("form").productId || null;
    const licensed = await licensedProducts(db, user.orgId);
    const product = licensed.find((item) => item.id === productId);
    if (productId && !product) return learnerPage(c, { error: "Your organization has no licence for that product.", status: 422 });
    await setJourneys(db, user, [learner.id], productId);
    return learnerPage(c, { notice: product ? `Journey changed to ${product.name}.` : "This learner now has no journey." });
  },
);

const accessForm = z.object({ access: z.enum(["grant", "remove"], "Choose to grant or remove access.") });

learnerRoutes.post(
  "/:id/access",
  validated("form", accessForm, (c, problem) => learnerPage(c, { error: problem.errors.access ?? "Choose to grant or remove access.", status: 422 })),
  async (c) => {
    const user = currentUser(c);
    const db = c.get("deps").database.db;
    const learner = await findLearner(db, user.orgId, c.req.param("id"));
    if (!learner) return c.notFound();
    const grant = c.req.valid("form").access === "grant";
    await setAccess(db, user, [learner.id], grant);
    const after = await findLearner(db, user.orgId, learner.id);
    const notice = !grant
      ? "Access removed. Syncs keep it removed until an admin grants it again."
      : after?.hasAccess
        ? "Access granted."
        : "Access granted, but this learner still has none: they need a class and a year group, and their account switched on in the school's system.";
    return learnerPage(c, { notice });
  },
);

/** Sends a pupil's verification email again: not sooner than a while after the last one. */
learnerRoutes.post("/:id/verification", async (c) => {
  const user = currentUser(c);
  const { database, appUrl, config } = c.get("deps");
  const learner = await findLearner(database.db, user.orgId, c.req.param("id"));
  if (!learner) return c.notFound();
  const email = await pendingVerificationEmail(database.db, user.orgId, learner.id);
  if (!email) return learnerPage(c, { error: "This pupil has no address waiting to be confirmed.", status: 409 });
  const wait = await resendWait(database.db, learner.id);
  if (wait > 0)
    return learnerPage(c, { error: `An email went to this pupil a moment ago. You can send it again in ${waitInWords(Math.ceil(wait / 1000))}.`, status: 429 });
  await sendVerification(database.db, { orgId: user.orgId, learnerId: learner.id, email, appUrl, actorUserId: user.userId, supportEmail: config.supportEmail });
  return learnerPage(c, { notice: `The email to confirm ${email} was sent again. The earlier link no longer works.` });
});

/** "Grant access" to every learner who belongs to a class and a year group and has none. */
learnerRoutes.post("/access", async (c) => {
  const user = currentUser(c);
  const changed = await setAccess(c.get("deps").database.db, user, "all", true);
  return learnersPage(c, { notice: `${changed.toLocaleString("en")} ${changed === 1 ? "learner was" : "learners were"} given access.` });
});
