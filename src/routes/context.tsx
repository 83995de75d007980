import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { SessionUser } from "../auth/sessions.ts";
import type { Logger } from "../lib/log.ts";
import type { SyncService } from "../sync/run/service.ts";
import { Layout } from "../../views/layout.tsx";
import { speechOf } from "../roster/labels.ts";

/** What the routes need from the process; tests build it with their own database. */
export interface AppDeps {
  database: Database;
  config: Config;
  logger: Logger;
  /** Where links in emails point: PUBLIC_URL, or the local address in development. */
  appUrl: string;
  /** Starts, approves and cancels syncs; runs go on in the background of this process. */
  sync: SyncService;
  /** Embedded mode's demo district, which the development pages move on a day at a time. */
  demoDistrict?: { readonly day: number; advanceDay(): number } | undefined;
}

export type AppEnv = {
  Bindings: { requestIP?: (request: Request) => { address: string } | null } | undefined;
  Variables: {
    deps: AppDeps;
    user: SessionUser | null;
  };
};

export type AppContext = Context<AppEnv>;

/** The signed-in user; only call behind requireUser. */
export function currentUser(c: AppContext): SessionUser {
  const user = c.get("user");
  if (!user) throw new Error("currentUser called on a route without requireUser");
  return user;
}

/** htmx partial requests get the fragment; everything else (incl. history restores) the full page. */
export function isPartialRequest(c: AppContext): boolean {
  return c.req.header("HX-Request") === "true" && c.req.header("HX-Request-Type") === "partial";
}

/** Renders a full page in the layout, or only `body` for an htmx partial request. */
export async function renderPage(c: AppContext, options: { title: string; current?: string; status?: number }, body: JSX.Element) {
  c.header("Vary", "HX-Request, HX-Request-Type");
  const status = (options.status ?? 200) as 200;
  if (isPartialRequest(c)) return c.html(body, status);
  const user = c.get("user");
  const page = (
    <Layout
      title={options.title}
      current={options.current}
      demo={user?.orgIsDemo ?? false}
      user={user ? { name: user.name, email: user.email, orgName: user.orgName, role: user.role, speech: speechOf(user.orgCountry) } : null}
    >
      {body}
    </Layout>
  );
  // Without a doctype browsers render in quirks mode.
  return c.html(`<!doctype html>${await page.toString()}`, status);
}

/** The client's address for throttling: from Bun's server when serving, "local" in app.request tests. */
export function clientAddress(c: AppContext): string {
  return c.env?.requestIP?.(c.req.raw)?.address ?? "local";
}
