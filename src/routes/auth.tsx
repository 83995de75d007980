/** Sign in, sign out and accepting an invite. */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { acceptInvite, findInvite } from "../auth/invites.ts";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "../auth/password-strength.ts";
import { createSession, endSession, type SessionUser } from "../auth/sessions.ts";
import { signIn } from "../auth/sign-in.ts";
import { activeConnectionRow } from "../db/queries/connections.ts";
import { SETUP_PATH } from "./setup.tsx";
import { InvitePage, InviteUnavailablePage } from "../../views/auth/invite.tsx";
import { SignInPage } from "../../views/auth/sign-in.tsx";
import { type AppContext, type AppEnv, clientAddress, renderPage } from "./context.tsx";
import { SESSION_COOKIE } from "./middleware.ts";
import { validated, validatedQuery } from "./validate.ts";

export const authRoutes = new Hono<AppEnv>();

const OWN_ORIGIN = "http://rollcall.invalid";
/** Control characters (browsers strip tabs and newlines from a URL: "/\t/host" becomes "//host") and backslashes (read as "/"). */
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f\\]/;

/**
 * Only a path on this site after sign-in, or "/": never a scheme, "//host", a backslash or a
 * control character, also once percent-encoding is undone (a browser decodes some of it).
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//")) return "/";
  let decoded = next;
  for (let round = 0; round < 3; round++) {
    let once: string;
    try {
      once = decodeURIComponent(decoded);
    } catch {
      return "/";
    }
    if (UNSAFE_IN_PATH.test(decoded) || decoded.startsWith("//")) return "/";
    if (once === decoded) break;
    decoded = once;
  }
  if (UNSAFE_IN_PATH.test(decoded) || decoded.startsWith("//")) return "/";
  const url = new URL(next, OWN_ORIGIN);
  return url.origin === OWN_ORIGIN ? `${url.pathname}${url.search}${url.hash}` : "/";
}

/** A session cookie: httpOnly and SameSite=Lax always; Secure whenever the site is served over https. */
export function setSessionCookie(c: AppContext, token: string, name = SESSION_COOKIE, maxAgeSeconds = 14 * 86_400) {
  const publicUrl = c.get("deps").config.publicUrl;
  const secure = new URL(c.req.url).protocol === "https:" || Boolean(publicUrl?.startsWith("https:"));
  setCookie(c, name, token, { httpOnly: true, secure, sameSite: "Lax", path: "/", maxAge: maxAgeSeconds });
}

const signInQuery = z.object({ next: z.string().optional().catch(undefined), "signed-out": z.string().optional().catch(undefined) });

authRoutes.get("/sign-in", validatedQuery(signInQuery), (c) => {
  if (c.get("user")) return c.redirect("/", 303);
  const query = c.req.valid("query");
  const notice = query["signed-out"] !== undefined ? "You have signed out." : undefined;
  return renderPage(c, { title: "Sign in" }, <SignInPage next={safeNext(query.next)} notice={notice} />);
});

const signInForm = z.object({ email: z.string().trim().max(320), password: z.string().max(1024), next: z.string().optional() });

authRoutes.post(
  "/sign-in",
  validated("form", signInForm, (c, problem) =>
    renderPage(
      c,
      { title: "Sign in", status: 422 },
      <SignInPage email={String(problem.input.email ?? "")} next={safeNext(String(problem.input.next ?? ""))} error="Enter your email address and password." />,
    ),
  ),
  async (c) => {
    const form = c.req.valid("form");
    const result = await signIn(c.get("deps").database.db, { email: form.email, password: form.password, address: clientAddress(c) });
    if (!result.ok) {
      let error = "That email address and password do not match. Check them and try again.";
      if (result.reason === "throttled") {
        const seconds = Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 1000));
        c.header("Retry-After", String(seconds));
        error = `Too many wrong passwords for this account from your network. For your safety, try again in ${waitInWords(seconds)}. Each further wrong password makes the wait longer; signing in from another network is not affected.`;
      }
      const status = result.reason === "throttled" ? 429 : 401;
      return renderPage(c, { title: "Sign in", status }, <SignInPage email={form.email} next={safeNext(form.next)} error={error} />);
    }
    setSessionCookie(c, result.token);
    c.get("deps").logger.info("auth.signed_in", { userId: result.userId, orgId: result.orgId });
    const next = safeNext(form.next);
    return c.redirect(next === "/" ? await landingPage(c, result) : next, 303);
  },
);

/** Where sign-in lands without a way back: an admin whose organization has no roster source yet starts the set-up. */
async function landingPage(c: AppContext, user: Pick<SessionUser, "orgId" | "role">): Promise<string> {
  if (user.role !== "org_admin") return "/";
  return (await activeConnectionRow(c.get("deps").database.db, user.orgId)) ? "/" : SETUP_PATH;
}

/** "40 seconds", "1 minute", "15 minutes". */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

authRoutes.post("/sign-out", async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await endSession(c.get("deps").database.db, token);
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  return c.redirect("/sign-in?signed-out", 303);
});

authRoutes.get("/invite/:token", async (c) => {
  const token = c.req.param("token");
  const invite = await findInvite(c.get("deps").database.db, token);
  if (!invite.ok) return renderPage(c, { title: "Invitation", status: 410 }, <InviteUnavailablePage reason={invite.reason} />);
  return renderPage(c, { title: "Accept invitation" }, <InvitePage token={token} {...invite} minPasswordLength={MIN_PASSWORD_LENGTH} />);
});

const MAX_NAME_LENGTH = 200;

const inviteForm = z.object({ name: z.string().default(""), password: z.string().default(""), confirm: z.string().default("") });

const inviteFormUnreadable = (c: AppContext) => renderPage(c, { title: "Accept invitation", status: 422 }, <InviteUnavailablePage reason="unknown" />);

authRoutes.post("/invite/:token", validated("form", inviteForm, inviteFormUnreadable), async (c) => {
  const token = c.req.param("token");
  const db = c.get("deps").database.db;
  const form = c.req.valid("form");
  const invite = await findInvite(db, token);
  if (!invite.ok) return renderPage(c, { title: "Invitation", status: 410 }, <InviteUnavailablePage reason={invite.reason} />);
  const errors: Partial<Record<"name" | "password" | "confirm", string>> = {};
  if (!form.name.trim()) errors.name = "Enter your name, as your colleagues know you.";
  else if (form.name.trim().length > MAX_NAME_LENGTH) errors.name = `Use at most ${MAX_NAME_LENGTH} characters for your name.`;
  const passwordRefused = await passwordProblem(form.password, { email: invite.email, name: form.name, orgName: invite.orgName });
  if (passwordRefused) errors.password = passwordRefused;
  if (form.confirm !== form.password) errors.confirm = "The two passwords are not the same.";
  if (Object.keys(errors).length) {
    return renderPage(
      c,
      { title: "Accept invitation", status: 422 },
      <InvitePage token={token} {...invite} name={form.name} errors={errors} minPasswordLength={MIN_PASSWORD_LENGTH} />,
    );
  }
  const accepted = await acceptInvite(db, token, { name: form.name, password: form.password });
  if (!accepted.ok) return renderPage(c, { title: "Invitation", status: 410 }, <InviteUnavailablePage reason={accepted.reason} />);
  setSessionCookie(c, await createSession(db, { id: accepted.userId, orgId: accepted.orgId }));
  c.get("deps").logger.info("auth.invite_accepted", { userId: accepted.userId, orgId: accepted.orgId });
  return c.redirect("/", 303);
});
