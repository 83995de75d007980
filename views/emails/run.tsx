/**
 * Emails about sync runs (ARCHITECTURE.md, "Safety rules"): succeeded (counts), held for approval (what
 * and why, with a link) and failed (what went wrong in the admin's words and what to do).
 * Counts only: never a child's name in an email.
 */
import type { PlanCounts } from "../../src/run-record.ts";
import type { FailureCause } from "../../src/roster/snapshot.ts";
import { EmailButton, EmailLayout, type RenderedEmail, renderHtml } from "./layout.tsx";

export interface RunEmailProps {
  orgName: string;
  runUrl: string;
  /** The roster source page, where a wrong district or school ID is put right. */
  settingsUrl?: string | undefined;
  /** The operator's support address (SUPPORT_EMAIL), said in every email. */
  supportEmail?: string | undefined;
}

const ENTITIES = ["learners", "educators", "classes", "enrolments"] as const;
const CHANGE_STATUSES = ["New", "Synced", "Matched", "May match", "Desynced"] as const;

/** One line per entity with the statuses that changed something, e.g. "learners: 3 New, 1 Desynced". */
export function countLines(counts: PlanCounts | undefined): string[] {
  if (!counts) return [];
  return ENTITIES.map((entity) => {
    const parts = CHANGE_STATUSES.filter((status) => (counts[entity]?.[status] ?? 0) > 0).map((status) => `${counts[entity]![status]} ${status}`);
    return `${entity}: ${parts.length ? parts.join(", ") : "no changes"}`;
  });
}

function render(subject: string, body: string[], list: string[], button: { href: string; label: string }, supportEmail?: string): RenderedEmail {
  const paragraphs = supportEmail ? [...body, `Questions? Write to ${supportEmail}.`] : body;
  const text = [...paragraphs, ...(list.length ? ["", ...list.map((line) => `- ${line}`)] : []), "", `${button.label}: ${button.href}`].join("\n");
  const html = renderHtml(
    <EmailLayout title={subject}>
      {paragraphs.map((paragraph) => (
        <p>{paragraph}</p>
      ))}
      {list.length ? (
        <ul>
          {list.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      ) : null}
      <EmailButton href={button.href}>{button.label}</EmailButton>
    </EmailLayout>,
  );
  return { subject, text, html };
}

export function runSucceededEmail(props: RunEmailProps & { counts?: PlanCounts | undefined }): RenderedEmail {
  return render(
    `Roster sync finished for ${props.orgName}`,
    [`The roster sync for ${props.orgName} finished. This is what changed:`],
    countLines(props.counts),
    {
      href: props.runUrl,
      label: "See the changes",
    },
    props.supportEmail,
  );
}

export function runHeldEmail(props: RunEmailProps & { counts?: PlanCounts | undefined; reasons?: string[] | undefined }): RenderedEmail {
  return render(
    `A roster sync for ${props.orgName} is waiting for you`,
    [
      `A roster sync for ${props.orgName} was stopped before it changed anything, because it would change more than usual:`,
      ...(props.reasons ?? []),
      "Nothing has changed yet. Look at the changes and approve them if they are right, or cancel the sync if they are not (for example when the school's system sent only part of the roster).",
    ],
    countLines(props.counts),
    { href: props.runUrl, label: "Review and approve or cancel" },
    props.supportEmail,
  );
}

/**
 * A failed run, in the admin's words by whose move it waits for: theirs (the settings, with the
 * link), nobody's (the source did not answer: when the schedule tries again), or the operator's.
 */
export function runFailedEmail(
  props: RunEmailProps & { errorMessage?: string | undefined; failure?: FailureCause | undefined; nextTry?: string | null | undefined },
): RenderedEmail {
  const what = props.errorMessage ?? "Something went wrong while reading the roster.";
  const then =
    props.failure === "settings"
      ? ["Check your roster source on Roster Sync Settings (your district or school ID, and that the app is approved), then start the sync again."]
      : props.failure === "unreachable"
        ? [
            props.nextTry
              ? `We will try again at the next scheduled sync, ${props.nextTry}.`
              : "Start the sync again from the sync page once your school's system answers.",
          ]
        : props.failure === "operator"
          ? ["This needs Rollcall support, not you: they have been told."]
          : ["You can start it again from the sync page once the problem is fixed."];
  const button =
    props.failure === "settings" && props.settingsUrl
      ? { href: props.settingsUrl, label: "Open Roster Sync Settings" }
      : { href: props.runUrl, label: "Open the sync page" };
  return render(
    `A roster sync for ${props.orgName} failed`,
    [`The roster sync for ${props.orgName} did not finish, so nothing was changed.`, what.replace(/ It will try again( later)?\.$/, ""), ...then],
    [],
    button,
    props.supportEmail,
  );
}
