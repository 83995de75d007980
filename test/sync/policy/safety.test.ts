/**
 * The safety rules as a function (issue 16, point 1): the words for an empty read from a
 * service, the threshold's minimum and share, and that only a full read can be "empty".
 */
import { describe, expect, test } from "bun:test";
import { emptyCounts } from "../../../src/run-record.ts";
import type { Plan } from "../../../src/sync/reconcile/types.ts";
import { checkSafety, type KindCounts, type SafetyFacts } from "../../../src/sync/policy/safety.ts";

const settings = { holdThresholdPercent: 10, holdThresholdMinimum: 5, mayMatchPolicy: "hold" as const };
const synced: KindCounts = { learners: 60, educators: 17, classes: 17, enrolments: 251 };

/** A plan with only the counts the rules read (the header-only case: everything leaves, unlinked). */
function planLeaving(leaving: Partial<KindCounts>): Plan {
  const counts = { learners: emptyCounts(), educators: emptyCounts(), classes: emptyCounts(), enrolments: emptyCounts() };
  for (const [kind, count] of Object.entries(leaving)) counts[kind as keyof KindCounts].Desynced = count;
  const unlinked = (count = 0) =>
    Array.from({ length: count }, (_, index) => ({
      status: "Desynced" as const,
      action: "unlink" as const,
      sourceId: `s${index}`,
      entityId: `e${index}`,
      changes: [],
      label: "",
    }));
  return {
    mode: "full",
    schools: [],
    academicSessions: [],
    learners: unlinked(leaving.learners),
    educators: unlinked(leaving.educators),
    classes: unlinked(leaving.classes),
    learnerFingerprintRefresh: [],
    enrolments: { add: [], remove: [] },
    classEducators: { add: [], remove: [] },
    classDigests: new Map(),
    counts,
    problems: [],
  };
}

const facts = (read: Partial<KindCounts>, origin: SafetyFacts["origin"], mode: "full" | "delta" = "full"): SafetyFacts => ({
  mode,
  read: { learners: 0, educators: 0, classes: 0, enrolments: 0, ...read },
  synced,
  origin,
});

describe("an empty read", () => {
  test("from Clever is held in Clever's words", () => {
    const verdict = checkSafety(planLeaving(synced), facts({}, { kind: "api", source: "clever" }), settings, "sync_now");
    expect(verdict.hold).toBe(true);
    expect(verdict.reasons).toEqual([
      "Clever returned no students, teachers, sections or section members, which usually means a problem with the connection or with what is shared. A sync would take all 60 learners, 17 educators, 17 classes and 251 class places synced now off the synced roster.",
    ]);
    expect(verdict.leaving).toEqual(synced);
  });

  test("of students only, from Wonde, names only what is missing", () => {
    const verdict = checkSafety(
      planLeaving({ learners: 60, enrolments: 200 }),
      facts({ educators: 17, classes: 17, enrolments: 51 }, { kind: "api", source: "wonde" }),
      settings,
      "sync_now",
    );
    expect(verdict.reasons[0]).toStartWith("Wonde returned no students, which usually means");
    // The class places that leave with them are held by the threshold.
    expect(verdict.reasons[1]).toBe(
      "This sync would take 200 of the 251 class places synced now (80%) off the synced roster (200 kept but no longer synced), more than the 10% a sync may change without your approval.",
    );
  });

  test("of users with rows that are all teachers says users.csv has no learners", () => {
    const verdict = checkSafety(
      planLeaving({ learners: 60 }),
      facts({ educators: 17, classes: 17, enrolments: 17 }, { kind: "files", rows: { users: 17, classes: 17, enrollments: 17 } }),
      settings,
      "sync_now",
    );
    expect(verdict.reasons[0]).toBe(
      "users.csv has no learners, which usually means a broken export. A sync would take all 60 learners synced now off the synced roster.",
    );
  });

  test("is not a reason in a delta read, where an empty table means nothing changed", () => {
    const verdict = checkSafety(planLeaving({}), facts({}, { kind: "files", rows: {} }, "delta"), settings, "scheduled");
    expect(verdict.hold).toBe(false);
  });

  test("is not a reason for an organization with nothing synced yet", () => {
    const verdict = checkSafety(
      planLeaving({}),
      { ...facts({}, { kind: "files", rows: {} }), synced: { learners: 0, educators: 0, classes: 0, enrolments: 0 } },
      settings,
      "sync_now",
    );
    expect(verdict).toEqual({ hold: false, reasons: [], leaving: { learners: 0, educators: 0, classes: 0, enrolments: 0 } });
  });
});

describe("the threshold", () => {
  const full = facts({ learners: 50, educators: 17, classes: 17, enrolments: 240 }, { kind: "files", rows: {} });

  test("holds above 10% and at least 5, counting unlinked records whatever the removal setting", () => {
    expect(checkSafety(planLeaving({ educators: 4 }), full, settings, "sync_now").hold).toBe(false);
    expect(checkSafety(planLeaving({ learners: 6 }), full, settings, "sync_now").hold).toBe(false);
    const held = checkSafety(planLeaving({ learners: 7, educators: 5 }), full, settings, "sync_now");
    expect(held.reasons).toEqual([
      "This sync would take 7 of the 60 learners synced now (12%) off the synced roster (7 kept but no longer synced), more than the 10% a sync may change without your approval.",
      "This sync would take 5 of the 17 educators synced now (29%) off the synced roster (5 kept but no longer synced), more than the 10% a sync may change without your approval.",
    ]);
  });

  test("follows the organization's own threshold", () => {
    expect(checkSafety(planLeaving({ learners: 7 }), full, { ...settings, holdThresholdPercent: 20 }, "sync_now").hold).toBe(false);
    expect(checkSafety(planLeaving({ educators: 3 }), full, settings, "sync_now").hold).toBe(false);
    expect(checkSafety(planLeaving({ educators: 3 }), full, { ...settings, holdThresholdMinimum: 2 }, "sync_now").hold).toBe(true);
  });
});
