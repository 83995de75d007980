import type { Child } from "hono/jsx";
import type { Speech } from "../src/roster/labels.ts";

export interface LayoutUser {
  name: string;
  email: string;
  orgName: string;
  role: "org_admin" | "educator";
  /** A GB organization's words: Students, and the School menu with the MIS user sync. */
  speech: Speech;
}

export interface LayoutProps {
  title: string;
  user?: LayoutUser | null | undefined;
  /** The nav entry to mark as the current page. */
  current?: string | undefined;
  /** The signed-in organization is one of embedded mode's demos: the header says so. */
  demo?: boolean | undefined;
  children: Child;
}

/** The ROSTER menu, as the help text names it: the roster itself, then its imports. */
const ROSTER_MENU = [
  {
    group: "Roster",
    items: [
      { href: "/learners", label: "Learners", key: "learners", gb: "Students" },
      { href: "/classes", label: "Classes", key: "classes" },
      { href: "/review", label: "Review matches", key: "review" },
      { href: "/learners/journeys", label: "Bulk Journey Updater", key: "journeys", adminOnly: true },
    ],
  },
  {
    group: "Imports",
    items: [
      { href: "/settings/sync", label: "Roster Sync Settings", key: "sync-settings" },
      { href: "/sync", label: "Roster Sync Status", key: "sync" },
      { href: "/sync/history", label: "Import history", key: "history" },
    ],
  },
] as const;

const ROSTER_KEYS: ReadonlySet<string> = new Set(ROSTER_MENU.flatMap((group) => group.items.map((item) => item.key)));

/** The ROSTER menu: a disclosure that opens on click or keyboard, with the current page marked. */
function RosterMenu(props: { current?: string | undefined; isAdmin: boolean; speech: Speech }) {
  return (
    <details class="dropdown">
      <summary class={ROSTER_KEYS.has(props.current ?? "") ? "current" : undefined}>Roster</summary>
      <ul>
        {ROSTER_MENU.map((group) => (
          <>
            <li class="menu-group" aria-hidden="true">
              {group.group}
            </li>
            {group.items
              .filter((item) => props.isAdmin || !("adminOnly" in item))
              .map((item) => (
                <li>
                  <a href={item.href} aria-current={props.current === item.key ? "page" : undefined}>
                    {group.group === "Imports" ? <span class="visually-hidden">Imports: </span> : null}
                    {props.speech === "gb" && "gb" in item ? item.gb : item.label}
                  </a>
                </li>
              ))}
          </>
        ))}
      </ul>
    </details>
  );
}

/** The full page around every view: skip link, header, one main landmark, footer. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{`${props.title} · Rollcall`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/pico.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/htmx.min.js" defer></script>
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="container site-header">
          <nav aria-label="Main">
            <ul>
              <li>
                <a href="/" class="brand">
                  <strong>Rollcall</strong>
                </a>
                {props.user ? <span class="org-name">{props.user.orgName}</span> : null}
                {props.demo ? <span class="badge badge-demo">Demo</span> : null}
              </li>
            </ul>
            {props.user ? (
              <ul>
                <li>
                  <a href="/" aria-current={props.current === "overview" ? "page" : undefined}>
                    Overview
                  </a>
                </li>
                <li>
                  <RosterMenu current={props.current} isAdmin={props.user.role === "org_admin"} speech={props.user.speech} />
                </li>
                {props.user.speech === "gb" && props.user.role === "org_admin" ? (
                  <li>
                    <details class="dropdown">
                      <summary class={props.current === "mis-sync" ? "current" : undefined}>School</summary>
                      <ul>
                        <li>
                          <a href="/school/mis-sync" aria-current={props.current === "mis-sync" ? "page" : undefined}>
                            MIS user sync
                          </a>
                        </li>
                      </ul>
                    </details>
                  </li>
                ) : null}
                <li>
                  <a href="/settings" aria-current={props.current === "settings" ? "page" : undefined}>
                    Settings
                  </a>
                </li>
                <li>
                  <form method="post" action="/sign-out" class="inline-form">
                    <button type="submit" class="secondary outline small">
                      Sign out
                    </button>
                  </form>
                </li>
              </ul>
            ) : null}
          </nav>
        </header>
        <main id="main" class="container">
          {props.children}
        </main>
        <footer class="container site-footer">
          {props.user ? (
            <small>
              Signed in as {props.user.name || props.user.email} (
              {props.user.role === "educator" ? "educator" : props.user.speech === "gb" ? "Access Coordinator" : "organization admin"})
            </small>
          ) : (
            <small>Rollcall keeps your platform's roster in step with your school's records.</small>
          )}
        </footer>
      </body>
    </html>
  );
}

/** A message box for errors and confirmations, announced to screen readers. */
export function Notice(props: { kind: "error" | "success" | "info"; children: Child; id?: string }) {
  return (
    <div id={props.id} class={`notice notice-${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.children}
    </div>
  );
}
