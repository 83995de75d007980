/** The review screen for May match pairs: see why, then link or keep apart, then apply the answers. */
import { Hono } from "hono";
import { AnsweredCard, ReviewPage, type ReviewPageProps } from "../../views/review/page.tsx";
import { answerPair, answersNotYetApplied, countPendingPairs, pendingPairs, type Answer } from "../review/pairs.ts";
import { decodeKey, encodeKey } from "../db/queries/keyset.ts";
import { NoSourceError, RunInProgressError } from "../sync/run/lifecycle.ts";
import { isNewestRun, schoolNamesBySourceId } from "../db/queries/sync.ts";
import { learnerWords, speechOf } from "../roster/labels.ts";
import { type AppContext, type AppEnv, currentUser, isPartialRequest, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";

/** Mounted at /review: everyone signed in may look; only admins may answer. */
export const reviewRoutes = new Hono<AppEnv>();
reviewRoutes.use(requireUser);
reviewRoutes.on("POST", "*", requireAdmin);

/** Pairs to a page: each is a card with both records and the reasons, so fewer than a list's rows. */
const REVIEW_PAGE = 25;

/** The pair a page starts after, from its link: [label, item id]; anything else is the first page. */
function afterOf(c: AppContext): { label: string; itemId: number } | null {
  const key = decodeKey(c.req.query("after") ?? "", 2);
  return key && /^\d{1,15}$/.test(key[1]!) ? { label: key[0]!, itemId: Number(key[1]) } : null;
}

async function reviewProps(c: AppContext): Promise<Omit<ReviewPageProps, "notice" | "problem">> {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const after = afterOf(c);
  const [page, left, answered] = await Promise.all([
    pendingPairs(db, user.orgId, { after, limit: REVIEW_PAGE + 1 }),
    countPendingPairs(db, user.orgId),
    answersNotYetApplied(db, user.orgId),
  ]);
  const pairs = page.slice(0, REVIEW_PAGE);
  const last = pairs.at(-1);
  const next = page.length > REVIEW_PAGE && last ? encodeKey([last.label, String(last.itemId)]) : null;
  // A pair can name its school by two systems' ids: every source's are looked up.
  const schoolNames = pairs.length ? await schoolNamesBySourceId(db, user.orgId) : new Map<string, string>();
  // Pairs found by a preview are applied with that preview; others by a sync of their own.
  const previewRunId = pairs[0] && (await isNewestRun(db, user.orgId, pairs[0].runId)) ? pairs[0].runId : null;
  const context = { speech: speechOf(user.orgCountry), schoolName: (sourceId: string) => schoolNames.get(sourceId) };
  return { pairs, left, next, continued: after !== null, pageSize: REVIEW_PAGE, answered, previewRunId, context, canAnswer: user.role === "org_admin" };
}

async function reviewPage(c: AppContext, messages: { notice?: string; problem?: string } = {}, status = 200) {
  const props = await reviewProps(c);
  // Past the last pair (all of them answered since): the first page, which says what is left.
  if (props.continued && props.pairs.length === 0) return c.redirect("/review", 302);
  return renderPage(c, { title: "Review matches", current: "review", status: status as 200 }, <ReviewPage {...props} {...messages} />);
}

reviewRoutes.get("/", (c) => reviewPage(c));

for (const [path, answer] of [
  ["accept", "accepted"],
  ["reject", "rejected"],
] as const satisfies readonly (readonly [string, Answer])[]) {
  reviewRoutes.post(`/:itemId/${path}`, async (c) => {
    const user = currentUser(c);
    const itemId = c.req.param("itemId");
    const speech = speechOf(user.orgCountry);
    const saved = await answerPair(c.get("deps").database.db, { orgId: user.orgId, userId: user.userId, itemId, answer });
    if (!saved) return c.notFound();
    if (isPartialRequest(c)) {
      const { left, answered, previewRunId } = await reviewProps(c);
      return c.html(<AnsweredCard itemId={itemId} answer={answer} left={left} answered={answered} previewRunId={previewRunId} speech={speech} />);
    }
    const notice =
      answer === "accepted"
        ? "Linked. Apply your answers to keep this child's history."
        : `Kept apart. Applying your answers adds a new ${learnerWords(speech).one}.`;
    return reviewPage(c, { notice });
  });
}

/** Applies the answers with a sync of their own: answering is never blocked by the Sync Now rule. */
reviewRoutes.post("/apply", async (c) => {
  const user = currentUser(c);
  try {
    await c.get("deps").sync.start({ orgId: user.orgId, trigger: "review", startedBy: user.userId });
  } catch (error) {
    if (error instanceof RunInProgressError || error instanceof NoSourceError) return reviewPage(c, { problem: error.message }, 409);
    throw error;
  }
  c.header("HX-Redirect", "/sync");
  return c.redirect("/sync", 303);
});
