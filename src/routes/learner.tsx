/**
 * The pupil's side (public, no staff session): the verification link that confirms an address
 * and sets a password, and the pupil sign-in for products whose learners sign in. See
 * src/auth/learner-accounts.ts.
 */
import { Hono } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import { z } from "zod";
import { LearnerHomePage, LearnerSignInPage, VerifiedPage, VerifyPage, VerifyUnavailablePage } from "../../views/learner/account.tsx";
import { completeVerification, endLearnerSession, findVerification, loadLearnerSession, signInLearner } from "../auth/learner-accounts.ts";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "../auth/password-strength.ts";
import { setSessionCookie, waitInWords } from "./auth.tsx";
import { type AppEnv, clientAddress, renderPage } from "./context.tsx";
import { validated } from "./validate.ts";

export const learnerAccountRoutes = new Hono<AppEnv>();

export const LEARNER_COOKIE = "rollcall_learner";
const LEARNER_COOKIE_SECONDS = 12 * 3600;

learnerAccountRoutes.get("/verify/:token", async (c) => {
  const token = c.req.param("token");
  const found = await findVerification(c.get("deps").database.db, token);
  if (!found.ok) return renderPage(c, { title: "Confirm your address", status: 410 }, <VerifyUnavailablePage reason={found.reason} />);
  return renderPage(
    c,
    { title: "Confirm your address" },
    <VerifyPage token={token} givenName={found.givenName} email={found.email} minPasswordLength={MIN_PASSWORD_LENGTH} />,
  );
});

const passwordForm = z.object({ password: z.string().max(1024).default(""), confirm: z.string().max(1024).default("") });

learnerAccountRoutes.post(
  "/verify/:token",
  validated("form", passwordForm, (c) => renderPage(c, { title: "Confirm your address", status: 422 }, <VerifyUnavailablePage reason="unknown" />)),
  async (c) => {
    const token = c.req.param("token");
    const db = c.get("deps").database.db;
    const form = c.req.valid("form");
    const found = await findVerification(db, token);
    if (!found.ok) return renderPage(c, { title: "Confirm your address", status: 410 }, <VerifyUnavailablePage reason={found.reason} />);
    const errors: Record<string, string> = {};
    const refused = await passwordProblem(form.password, { email: found.email, name: found.givenName, orgName: "" });
    if (refused) errors.password = refused;
    if (form.confirm !== form.password) errors.confirm = "The two passwords are not the same.";
    if (Object.keys(errors).length)
      return renderPage(
        c,
        { title: "Confirm your address", status: 422 },
        <VerifyPage token={token} givenName={found.givenName} email={found.email} minPasswordLength={MIN_PASSWORD_LENGTH} errors={errors} />,
      );
    const outcome = await completeVerification(db, token, form.password);
    if (outcome !== "verified")
      return renderPage(c, { title: "Confirm your address", status: 410 }, <VerifyUnavailablePage reason={outcome === "taken" ? "taken" : "used"} />);
    return renderPage(c, { title: "Address confirmed" }, <VerifiedPage />);
  },
);

learnerAccountRoutes.get("/learn/sign-in", (c) => renderPage(c, { title: "Pupil sign-in" }, <LearnerSignInPage />));

const signInForm = z.object({ email: z.string().trim().max(320).default(""), password: z.string().max(1024).default("") });

learnerAccountRoutes.post(
  "/learn/sign-in",
  validated("form", signInForm, (c) =>
    renderPage(c, { title: "Pupil sign-in", status: 422 }, <LearnerSignInPage error="Enter your email address and password." />),
  ),
  async (c) => {
    const form = c.req.valid("form");
    if (!form.email || !form.password)
      return renderPage(c, { title: "Pupil sign-in", status: 422 }, <LearnerSignInPage email={form.email} error="Enter your email address and password." />);
    const result = await signInLearner(c.get("deps").database.db, { email: form.email, password: form.password, address: clientAddress(c) });
    if (!result.ok) {
      const wait = result.retryAt ? Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 1000)) : 0;
      const error = wait
        ? `Too many wrong passwords. For your safety, try again in ${waitInWords(wait)}.`
        : "That email address and password do not match. Check them and try again.";
      return renderPage(c, { title: "Pupil sign-in", status: wait ? 429 : 401 }, <LearnerSignInPage email={form.email} error={error} />);
    }
    setSessionCookie(c, result.token, LEARNER_COOKIE, LEARNER_COOKIE_SECONDS);
    return c.redirect("/learn", 303);
  },
);

learnerAccountRoutes.get("/learn", async (c) => {
  const token = getCookie(c, LEARNER_COOKIE);
  const learner = token ? await loadLearnerSession(c.get("deps").database.db, token) : null;
  if (!learner) return c.redirect("/learn/sign-in", 303);
  return renderPage(c, { title: "Signed in" }, <LearnerHomePage name={learner.givenName} orgName={learner.orgName} />);
});

learnerAccountRoutes.post("/learn/sign-out", async (c) => {
  const token = getCookie(c, LEARNER_COOKIE);
  if (token) await endLearnerSession(c.get("deps").database.db, token);
  deleteCookie(c, LEARNER_COOKIE, { path: "/" });
  return c.redirect("/learn/sign-in", 303);
});
