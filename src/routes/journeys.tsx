/**
 * The Bulk Journey Updater (mounted at /learners/journeys, admins only): choose learners by
 * school, year group and class, or by a file of Rollcall ids or usernames; preview who changes;
 * apply; undo. Apply chooses the learners again from the same choice, so what is applied is
 * what the choice means now, and the preview never has to be carried in the form.
 */
import { parse } from "csv-parse/sync";
import { Hono } from "hono";
import { z } from "zod";
import { BulkJourneyPage, type JourneyChoice, JourneyDone, JourneyPreview } from "../../views/roster/journeys.tsx";
import { type ChosenLearner, learnersMatching, learnersNamed, rosterChoices } from "../db/queries/learner-selection.ts";
import { setJourneys, undoJourneyChange } from "../db/queries/roster-edits.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { speechOf } from "../roster/labels.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin } from "./middleware.ts";
import { type FormProblem, validated } from "./validate.ts";

export const journeyRoutes = new Hono<AppEnv>();
journeyRoutes.use(requireAdmin);

const MAX_LIST_BYTES = 60_000;

const choiceForm = z.object({
  by: z.enum(["filter", "list"]).catch("filter"),
  schoolId: z.string().max(40).default(""),
  yearGroupCode: z.string().max(40).default(""),
  classId: z.string().max(40).default(""),
  list: z.string().max(MAX_LIST_BYTES, "That list is too long for one change; split it into smaller files.").default(""),
  file: z.instanceof(File).optional(),
  productId: z.string().max(100).default(""),
});
type ChoiceForm = z.infer<typeof choiceForm>;

async function page(c: AppContext, options: { choice?: Partial<JourneyChoice>; errors?: Record<string, string>; status?: number } = {}) {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const [choices, products] = await Promise.all([rosterChoices(db, user.orgId), licensedProducts(db, user.orgId)]);
  return renderPage(
    c,
    { title: "Bulk Journey Updater", current: "journeys", status: options.status },
    <BulkJourneyPage choices={choices} products={products} choice={options.choice ?? {}} errors={options.errors ?? {}} speech={speechOf(user.orgCountry)} />,
  );
}

journeyRoutes.get("/", (c) => page(c));

/** The ids or usernames a list names: one a line (or the first column of a CSV file), header and blanks left out. */
async function listedEntries(form: ChoiceForm): Promise<{ entries: string[] } | { problem: string }> {
  let text = form.list;
  if (form.file && form.file.size > 0) {
    if (form.file.size > MAX_LIST_BYTES) return { problem: `${form.file.name} is larger than 60 KB; split it into smaller files.` };
    text = await form.file.text();
  }
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch {
    return { problem: "That file could not be read as a list. Save it as CSV with one learner ID or username a line." };
  }
  const firsts = rows.map((row) => row[0] ?? "").filter(Boolean);
  if (/^(id|username|user ?name|learner ?id|learner_id)$/i.test(firsts[0] ?? "")) firsts.shift();
  return { entries: [...new Set(firsts)] };
}

interface Chosen {
  learners: ChosenLearner[];
  unknown: string[];
  /** The choice as the next form carries it. */
  choice: JourneyChoice;
}

async function choose(c: AppContext, form: ChoiceForm): Promise<Chosen | { errors: Record<string, string> }> {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const licensed = await licensedProducts(db, user.orgId);
  if (form.productId && !licensed.some((product) => product.id === form.productId))
    return { errors: { productId: "Your organization has no licence for that product." } };
  const base = { productId: form.productId, schoolId: form.schoolId, yearGroupCode: form.yearGroupCode, classId: form.classId };
  if (form.by === "filter") {
    const chosen = await learnersMatching(db, user.orgId, form);
    return { learners: chosen, unknown: [], choice: { ...base, by: "filter", list: "" } };
  }
  const listed = await listedEntries(form);
  if ("problem" in listed) return { errors: { file: listed.problem } };
  if (!listed.entries.length) return { errors: { list: "Enter learner IDs or usernames, one a line, or choose a file." } };
  const named = await learnersNamed(db, user.orgId, listed.entries);
  return { learners: named.found, unknown: named.unknown, choice: { ...base, by: "list", list: listed.entries.join("\n") } };
}

const sendBack = (c: AppContext, problem: FormProblem) => page(c, { errors: problem.errors, status: 422 });

journeyRoutes.post("/preview", validated("form", choiceForm, sendBack), async (c) => {
  const form = c.req.valid("form");
  const chosen = await choose(c, form);
  if ("errors" in chosen) return page(c, { choice: { ...form, by: form.by }, errors: chosen.errors, status: 422 });
  if (!chosen.learners.length)
    return page(c, { choice: chosen.choice, errors: { [form.by === "list" ? "list" : "schoolId"]: "No active learner matches this choice." }, status: 422 });
  const products = await licensedProducts(c.get("deps").database.db, currentUser(c).orgId);
  return renderPage(
    c,
    { title: "Bulk Journey Updater", current: "journeys" },
    <JourneyPreview chosen={chosen.learners} unknown={chosen.unknown} choice={chosen.choice} products={products} />,
  );
});

journeyRoutes.post("/apply", validated("form", choiceForm, sendBack), async (c) => {
  const user = currentUser(c);
  const chosen = await choose(c, c.req.valid("form"));
  if ("errors" in chosen) return page(c, { errors: chosen.errors, status: 422 });
  const productId = chosen.choice.productId || null;
  const change = await setJourneys(
    c.get("deps").database.db,
    user,
    chosen.learners.map((learner) => learner.id),
    productId,
  );
  const products = await licensedProducts(c.get("deps").database.db, user.orgId);
  const journey = products.find((product) => product.id === productId)?.name ?? "no journey";
  return renderPage(
    c,
    { title: "Bulk Journey Updater", current: "journeys" },
    <JourneyDone changed={change.before.size} journey={journey} entryId={change.entryId} />,
  );
});

journeyRoutes.post("/undo/:entryId", async (c) => {
  const entryId = Number(c.req.param("entryId"));
  const restored = Number.isSafeInteger(entryId) ? await undoJourneyChange(c.get("deps").database.db, currentUser(c), entryId) : null;
  if (restored === null) return renderPage(c, { title: "Bulk Journey Updater", current: "journeys", status: 409 }, <JourneyDone undone={null} />);
  return renderPage(c, { title: "Bulk Journey Updater", current: "journeys" }, <JourneyDone undone={restored} />);
});
