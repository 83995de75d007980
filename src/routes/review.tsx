/** The review screen for May match pairs: see why, then link or keep apart, then apply the answers. */
import { Hono } from "hono";
import { AnsweredCard, ReviewPage, type ReviewPageProps } from "../../views/review/page.tsx";
import { answerPair, answersNotYetApplied, pendingPairs, type Answer } from "../review/pairs.ts";
import { NoSourceError, RunInProgressError } from "../sync/run/lifecycle.ts";
import { isNewestRun, schoolNamesBySourceId } from "../db/queries/sync.ts";
import { speechOf } from "../roster/labels.ts";
import { type AppContext, type AppEnv, currentUser, isPartialRequest, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";

/** Mounted at /review: everyone signed in may look; only admins may answer. */
export const reviewRoutes = new Hono<AppEnv>();
reviewRoutes.use(requireUser);
reviewRoutes.on("POST", "*", requireAdmin);

async function reviewProps(c: AppContext): Promise<Omit<ReviewPageProps, "notice" | "problem">> {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const [pairs, answered] = await Promise.all([pendingPairs(db, user.orgId), answersNotYetApplied(db, user.orgId)]);
  // A pair can name its school by two systems' ids: every source's are looked up.
  const schoolNames = pairs.length ? await schoolNamesBySourceId(db, user.orgId) : new Map<string, string>();
  // Pairs found by a preview are applied with that preview; others by a sync of their own.
  const previewRunId = pairs[0] && (await isNewestRun(db, user.orgId, pairs[0].runId)) ? pairs[0].runId : null;
  const context = { speech: speechOf(user.orgCountry), schoolName: (sourceId: string) => schoolNames.get(sourceId) };
  return { pairs, answered, previewRunId, context, canAnswer: user.role === "org_admin" };
}

async function reviewPage(c: AppContext, messages: { notice?: string; problem?: string } = {}, status = 200) {
  const props = await reviewProps(c);
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
    const saved = await answerPair(c.get("deps").database.db, { orgId: user.orgId, userId: user.userId, itemId, answer });
    if (!saved) return c.notFound();
    if (isPartialRequest(c)) {
      const { pairs, answered, previewRunId } = await reviewProps(c);
      return c.html(<AnsweredCard itemId={itemId} answer={answer} left={pairs.length} answered={answered} previewRunId={previewRunId} />);
    }
    const notice = answer === "accepted" ? "Linked. Apply your answers to keep this child's history." : "Kept apart. Applying your answers adds a new learner.";
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
