/**
 * Safety rule 2 and the May match policy (ARCHITECTURE.md, "Safety rules"). A plan is held for an admin's
 * approval when
 * - more than the threshold (default 10%, and at least 5) of the organization's synced
 *   learners, educators, classes or class places would leave the synced roster: deactivated,
 *   removed, or desynced (unlinked and kept), whatever the removal setting;
 * - a full read holds no learners, educators, classes or class places at all while the
 *   organization has synced ones: an empty users.csv is a broken export, not a school that closed;
 * - a scheduled run has May match learners and the policy is "hold for review".
 * (Rule 1, a failed read, never reaches here: the runner plans only from a complete snapshot.)
 * Pure: the runner gathers the facts.
 */
import type { ConnectionDetails } from "../../connections/details.ts";
import type { Plan, PlanItem, RunTriggerKind } from "../reconcile/types.ts";
import type { ReadSummary, SnapshotMode } from "../../roster/snapshot.ts";

export interface SafetySettings {
  holdThresholdPercent: number;
  holdThresholdMinimum: number;
  mayMatchPolicy: "hold" | "auto_accept";
}

export const ROSTER_KINDS = ["learners", "educators", "classes", "enrolments"] as const;
export type RosterKind = (typeof ROSTER_KINDS)[number];
export type KindCounts = Record<RosterKind, number>;

/** Where a read came from, for the words: a set of CSV files (with each table's rows when known), or a service. */
export type ReadOrigin = { kind: "files"; rows: Partial<Record<string, number>> } | { kind: "api"; source: ConnectionDetails["source"] };

export interface SafetyFacts {
  mode: SnapshotMode;
  /** What the read delivered, before the scope. */
  read: KindCounts;
  /** The organization's active records linked to this source, and the places in its synced classes. */
  synced: KindCounts;
  origin: ReadOrigin;
}

export interface SafetyVerdict {
  hold: boolean;
  /** In the admin's words, one per reason. */
  reasons: string[];
  /** Records that would leave the synced roster, by kind. */
  leaving: KindCounts;
}

export function readOrigin(details: ConnectionDetails, summary: ReadSummary): ReadOrigin {
  if (details.source === "oneroster" && details.kind === "file")
    return { kind: "files", rows: (summary as { rows?: Partial<Record<string, number>> }).rows ?? {} };
  return { kind: "api", source: details.source };
}

const WORDS: Record<RosterKind, [string, string]> = {
  learners: ["learner", "learners"],
  educators: ["educator", "educators"],
  classes: ["class", "classes"],
  enrolments: ["class place", "class places"],
};
const counted = (count: number, kind: RosterKind) => `${count.toLocaleString("en")} ${WORDS[kind][count === 1 ? 0 : 1]}`;

/** The OneRoster file each kind is read from. */
const FILE_OF: Record<RosterKind, string> = { learners: "users", educators: "users", classes: "classes", enrolments: "enrollments" };

/** What each service calls the records, and itself. */
const SERVICE_WORDS: Record<ConnectionDetails["source"], { name: string } & Record<RosterKind, string>> = {
  clever: { name: "Clever", learners: "students", educators: "teachers", classes: "sections", enrolments: "section members" },
  wonde: { name: "Wonde", learners: "students", educators: "employees", classes: "classes", enrolments: "class members" },
  oneroster: { name: "The OneRoster API", learners: "students", educators: "teachers", classes: "classes", enrolments: "enrollments" },
};

const list = (parts: string[], and = "and") => (parts.length < 2 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} ${and} ${parts.at(-1)}`);

export function checkSafety(plan: Plan, facts: SafetyFacts, settings: SafetySettings, trigger: RunTriggerKind): SafetyVerdict {
  const leaving: KindCounts = {
    learners: plan.counts.learners.Desynced,
    educators: plan.counts.educators.Desynced,
    classes: plan.counts.classes.Desynced,
    enrolments: plan.counts.enrolments.Desynced,
  };
  const empty = ROSTER_KINDS.filter((kind) => facts.mode === "full" && facts.read[kind] === 0 && facts.synced[kind] > 0);
  const reasons = emptyReadReasons(empty, facts);
  for (const kind of ROSTER_KINDS) {
    if (empty.includes(kind)) continue;
    const count = leaving[kind];
    const total = facts.synced[kind];
    if (count < settings.holdThresholdMinimum || count * 100 <= settings.holdThresholdPercent * total) continue;
    const share = total ? Math.round((count * 100) / total) : 100;
    reasons.push(
      `This sync would take ${count.toLocaleString("en")} of the ${counted(total, kind)} synced now (${share}%) off the synced roster (${leavingHow(plan, kind)}), more than the ${settings.holdThresholdPercent}% a sync may change without your approval.`,
    );
  }
  const mayMatch = plan.counts.learners["May match"];
  if (trigger === "scheduled" && settings.mayMatchPolicy === "hold" && mayMatch > 0) {
    reasons.push(
      `${mayMatch} incoming ${mayMatch === 1 ? "learner looks" : "learners look"} like ${mayMatch === 1 ? "a learner" : "learners"} you already have and ${mayMatch === 1 ? "needs" : "need"} your review.`,
    );
  }
  return { hold: reasons.length > 0, reasons, leaving };
}

/** One sentence per file (or service) that came back empty. */
function emptyReadReasons(empty: readonly RosterKind[], facts: SafetyFacts): string[] {
  const consequence = (kinds: readonly RosterKind[]) =>
    `A sync would take all ${list(kinds.map((kind) => counted(facts.synced[kind], kind)))} synced now off the synced roster.`;
  const { origin } = facts;
  if (origin.kind === "api") {
    if (!empty.length) return [];
    const words = SERVICE_WORDS[origin.source];
    return [
      `${words.name} returned no ${list(
        empty.map((kind) => words[kind]),
        "or",
      )}, which usually means a problem with the connection or with what is shared. ${consequence(empty)}`,
    ];
  }
  const reasons: string[] = [];
  for (const table of new Set(empty.map((kind) => FILE_OF[kind]))) {
    const kinds = empty.filter((kind) => FILE_OF[kind] === table);
    const rows = origin.rows[table];
    const what = rows
      ? `has no ${list(
          kinds.map((kind) => WORDS[kind][1]),
          "or",
        )}`
      : "has no rows";
    reasons.push(`${table}.csv ${what}, which usually means a broken export. ${consequence(kinds)}`);
  }
  return reasons;
}

/** How the records of a kind would leave: unlinked and kept, deactivated or removed. */
function leavingHow(plan: Plan, kind: RosterKind): string {
  if (kind === "enrolments") {
    const removed = plan.enrolments.remove.length + plan.classEducators.remove.length;
    const kept = plan.counts.enrolments.Desynced - removed;
    return list(
      [removed ? `${removed.toLocaleString("en")} removed` : "", kept ? `${kept.toLocaleString("en")} kept but no longer synced` : ""].filter(Boolean),
    );
  }
  const items: PlanItem<unknown>[] = plan[kind];
  const by = (action: string) => items.filter((item) => item.status === "Desynced" && item.action === action).length;
  const parts = [
    [by("unlink"), "kept but no longer synced"],
    [by("deactivate"), "deactivated"],
    [by("remove"), "removed"],
  ] as const;
  return list(parts.filter(([count]) => count > 0).map(([count, words]) => `${count.toLocaleString("en")} ${words}`));
}
