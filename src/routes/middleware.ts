import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { loadSession } from "../auth/sessions.ts";
import type { AppEnv } from "./context.tsx";

export const SESSION_COOKIE = "rollcall_session";

/** Loads the session, if any, for every request. */
export const loadUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  c.set("user", token ? await loadSession(c.get("deps").database.db, token) : null);
  await next();
});

/**
 * Pages and downloads carry children's records: no browser or proxy keeps a copy (a shared
 * school computer's back button, a cache on the way). Static assets set their own caching.
 */
export const noStore = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
});

/** Pages for staff: without a session, off to sign in (and back afterwards). */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user")) {
    const back = new URL(c.req.url);
    const next = `${back.pathname}${back.search}`;
    if (c.req.header("HX-Request") === "true") {
      c.header("HX-Redirect", "/sign-in");
      return c.body(null, 401);
    }
    return c.redirect(next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`, 303);
  }
  await next();
});

/** Organization admins only; educators get 403 with an explanation. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("user")?.role !== "org_admin") {
    throw new HTTPException(403, { message: "Only your organization's admins can do this." });
  }
  await next();
});
