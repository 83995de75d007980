/**
 * Reconcile as the pure function it is: a snapshot store and a current roster built in memory,
 * no database, and the review statuses it gives (ARCHITECTURE.md, "Review statuses").
 */
import { expect, test } from "bun:test";
import { GRADE_CODES, type SnapshotLearner } from "../../../src/roster/snapshot.ts";
import { createMatcher } from "../../../src/sync/match/index.ts";
import { applyScope } from "../../../src/sync/policy/scope.ts";
import { reconcile } from "../../../src/sync/reconcile/index.ts";
import { learnerFieldsOf } from "../../../src/sync/reconcile/fields.ts";
import type { CurrentLearner, CurrentRoster, LinkState, ReconcileSettings } from "../../../src/sync/reconcile/types.ts";
import { learnerFingerprint } from "../../../src/sync/snapshot/fingerprint.ts";
import { SnapshotStore } from "../../../src/sync/snapshot/store.ts";

const year3 = { code: "3", label: "Year 3" } as const;
const learner = (sourceId: string, givenName: string, familyName: string, extra: Partial<SnapshotLearner> = {}): SnapshotLearner => ({
  sourceId,
  schoolSourceIds: ["school-1"],
  givenName,
  familyName,
  dateOfBirth: "2017-05-04",
  yearGroup: year3,
  ...extra,
});
/** A learner row as the database would hold it, from the record it was last synced from. */
const row = (id: string, record: SnapshotLearner): CurrentLearner => ({ id, status: "active", emailVerified: false, ...learnerFieldsOf(record) });
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const settings: ReconcileSettings = {
  allowRemoval: false,
  removalMode: "deactivate",
  autoCarryover: false,
  allowClassNameOverride: false,
  defaultJourneyProductId: null,
  mayMatchPolicy: "hold",
  autoAcceptProbability: 0.99,
  schoolYear: 2026,
  country: "GB",
};

/** A current roster with only learners: links, the rows reconcile may change, and candidates. */
function currentRoster(learners: Pick<CurrentRoster, "source" | "learnerLinks" | "linkedLearners" | "unlinkedLearners">): CurrentRoster {
  const none = new Map();
  return {
    ...learners,
    educatorLinks: none,
    classLinks: none,
    schoolLinks: none,
    academicSessionLinks: none,
    archivedLearners: [],
    educators: none,
    unlinkedEducators: [],
    classes: none,
    unlinkedClasses: [],
    schools: none,
    unlinkedSchools: [],
    academicSessions: none,
    classMembers: none,
  };
}

test("each review status from an in-memory snapshot and current roster, with no database", () => {
  const unchanged = learner("s-unchanged", "Ada", "Lovelace");
  const before = learner("s-changed", "Grace", "Hopper");
  const changed = { ...before, familyName: "Hopper-Murray" };
  const leaver = learner("s-leaver", "Alan", "Turing");
  const alreadyHere = learner("s-matched", "Mary", "Somerville", { upn: "A123456789012" });
  const brandNew = learner("s-new", "Emmy", "Noether", { dateOfBirth: "2016-11-30" });

  const links = new Map<string, LinkState>([
    [unchanged.sourceId, { entityId: uuid(1), fingerprint: learnerFingerprint(unchanged), status: "active" }],
    [changed.sourceId, { entityId: uuid(2), fingerprint: learnerFingerprint(before), status: "active" }],
    [leaver.sourceId, { entityId: uuid(3), fingerprint: learnerFingerprint(leaver), status: "active" }],
  ]);
  const store = new SnapshotStore({ knownFingerprint: (sourceId) => links.get(sourceId)?.fingerprint });
  store.school({ sourceId: "school-1", name: "Willow Primary" });
  for (const record of [unchanged, changed, alreadyHere, brandNew]) store.learner(record);
  const scoped = applyScope(store, { kind: "grades", grades: [...GRADE_CODES] });

  const state = currentRoster({
    source: "oneroster",
    learnerLinks: links,
    // Rows of the linked learners reconcile may change: the changed one and the leaver.
    linkedLearners: new Map([
      [uuid(2), row(uuid(2), before)],
      [uuid(3), row(uuid(3), leaver)],
    ]),
    // Already in Rollcall from elsewhere, with the same UPN, birthday and names.
    unlinkedLearners: [row(uuid(4), alreadyHere)],
  });

  const plan = reconcile({ scoped, mode: "full", state, settings, decisions: new Map(), trigger: "sync_now", matcher: createMatcher() });

  expect(plan.counts.learners).toEqual({ Synced: 1, Matched: 1, "May match": 0, New: 1, Desynced: 1, Unchanged: 1 });
  const bySource = new Map(plan.learners.map((item) => [item.sourceId, item]));
  expect(bySource.has(unchanged.sourceId)).toBe(false);
  expect(bySource.get(changed.sourceId)).toMatchObject({ status: "Synced", action: "update", entityId: uuid(2) });
  expect(bySource.get(changed.sourceId)!.changes).toEqual([{ field: "familyName", before: "Hopper", after: "Hopper-Murray" }]);
  expect(bySource.get(alreadyHere.sourceId)).toMatchObject({ status: "Matched", action: "link", entityId: uuid(4) });
  expect(bySource.get(brandNew.sourceId)).toMatchObject({ status: "New", action: "create", entityId: null, label: "Emmy Noether" });
  expect(bySource.get(brandNew.sourceId)!.initial).toEqual({ gradePlacement: "3", journeyProductId: null });
  // Removal is off: the leaver is unlinked and kept, never deactivated.
  expect(bySource.get(leaver.sourceId)).toMatchObject({ status: "Desynced", action: "unlink", entityId: uuid(3), changes: [] });
  expect(plan.schools).toMatchObject([{ status: "New", action: "create", sourceId: "school-1" }]);
});

test("with removal allowed, the same leaver is deactivated; the same input gives the same plan", () => {
  const leaver = learner("s-leaver", "Alan", "Turing");
  const links = new Map<string, LinkState>([[leaver.sourceId, { entityId: uuid(3), fingerprint: learnerFingerprint(leaver), status: "active" }]]);
  const store = new SnapshotStore();
  const scoped = applyScope(store, { kind: "grades", grades: [...GRADE_CODES] });
  const state = currentRoster({ source: "clever", learnerLinks: links, linkedLearners: new Map([[uuid(3), row(uuid(3), leaver)]]), unlinkedLearners: [] });
  const input = {
    scoped,
    mode: "full" as const,
    state,
    settings: { ...settings, allowRemoval: true },
    decisions: new Map(),
    trigger: "scheduled" as const,
    matcher: createMatcher(),
  };
  const plan = reconcile(input);
  expect(plan.learners).toMatchObject([{ status: "Desynced", action: "deactivate", changes: [{ field: "status", before: "active", after: "inactive" }] }]);
  expect(JSON.stringify(reconcile(input))).toBe(JSON.stringify(plan));
});
