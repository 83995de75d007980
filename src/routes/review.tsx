/** The review screen for May match pairs: see why, then link or keep apart. */
import { Hono } from "hono";
import { AnsweredCard, ReviewPage } from "../../views/review/page.tsx";
import { answerPair, pendingPairs, type Answer } from "../review/pairs.ts";
import { type AppEnv, currentUser, isPartialRequest, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";

/** Mounted at /review: everyone signed in may look; only admins may answer. */
export const reviewRoutes = new Hono<AppEnv>();
reviewRoutes.use(requireUser);
reviewRoutes.on("POST", "*", requireAdmin);

reviewRoutes.get("/", async (c) => {
  const user = currentUser(c);
  const pairs = await pendingPairs(c.get("deps").database.db, user.orgId);
  return renderPage(c, { title: "Review matches", current: "sync" }, <ReviewPage pairs={pairs} canAnswer={user.role === "org_admin"} />);
});

for (const [path, answer] of [
  ["accept", "accepted"],
  ["reject", "rejected"],
] as const satisfies readonly (readonly [string, Answer])[]) {
  reviewRoutes.post(`/:itemId/${path}`, async (c) => {
    const user = currentUser(c);
    const itemId = c.req.param("itemId");
    const saved = await answerPair(c.get("deps").database.db, { orgId: user.orgId, userId: user.userId, itemId, answer });
    if (!saved) return c.notFound();
    if (isPartialRequest(c)) return c.html(<AnsweredCard itemId={itemId} answer={answer} />);
    const pairs = await pendingPairs(c.get("deps").database.db, user.orgId);
    const notice = answer === "accepted" ? "Linked. The next sync keeps this child's history." : "Kept apart. The next sync adds a new learner.";
    return renderPage(c, { title: "Review matches", current: "sync" }, <ReviewPage pairs={pairs} canAnswer notice={notice} />);
  });
}
