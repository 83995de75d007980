/**
 * From a source to a plan: read the snapshot, apply the scope, load exactly the part of the
 * current roster that reconcile needs, and reconcile. The I/O lives here; the decisions live
 * in reconcile.
 */
import type { Db } from "../../db/client.ts";
import type { Source } from "../../roster/sources.ts";
import type { ReadSummary, SnapshotSink } from "../../roster/snapshot.ts";
import { goneSourceIds } from "../reconcile/desync.ts";
import { classesNeedingMembers, completePlan, planEntities } from "../reconcile/index.ts";
import type { LinkTable } from "../state/link-table.ts";
import type { LearnerMatcher } from "../match/types.ts";
import type { MatchDecision, Plan, ReconcileInput, CurrentRoster, RunTriggerKind } from "../reconcile/types.ts";
import {
  loadAcademicSessions,
  loadArchivedLearners,
  loadClasses,
  loadClassMembers,
  loadEducators,
  countSynced,
  loadLearnersById,
  loadLinks,
  loadLinksOf,
  type RowChoice,
  loadSchools,
  loadSyncedPlaces,
  loadUnlinkedLearners,
} from "../state/current.ts";
import type { KindCounts } from "../policy/safety.ts";
import type { OutOfScope } from "../../run-record.ts";
import { applyScope } from "../policy/scope.ts";
import type { SyncContext } from "../state/settings.ts";
import { SnapshotStore } from "../snapshot/store.ts";
import { collectIfGrown } from "../../lib/garbage-guard.ts";

export interface PlanRequest {
  db: Db;
  orgId: string;
  source: Source;
  trigger: RunTriggerKind;
  context: SyncContext;
  decisions: ReadonlyMap<string, readonly MatchDecision[]>;
  matcher: LearnerMatcher;
  read: (sink: SnapshotSink) => Promise<ReadSummary>;
  /** The read asks for only what changed: links and rows are then loaded for what it mentions, after it. */
  changesOnly?: boolean | undefined;
  onProgress?: (phase: string, recordsRead: number) => void;
}

export interface BuiltPlan {
  plan: Plan;
  summary: ReadSummary;
  state: { links: { schools: LinkTable; academicSessions: LinkTable; classes: LinkTable; learners: LinkTable; educators: LinkTable } };
  /** What the scope left out, by why. */
  outOfScope: OutOfScope;
  /** What the read delivered, before the scope (the safety rules' empty-read check). */
  readCounts: KindCounts & { schools: number };
  /** The organization's records synced from this source now (the safety threshold's base). */
  syncedTotals(): Promise<KindCounts>;
  /**
   * Empties the plan's lists and the links once the run is over; the counts stay. Nothing reads
   * them afterwards, but the collector also scans the stack, where a stale word can keep a
   * finished run alive into the next one (at 1M learners, a first sync's million New learner
   * items: 767 MB, counted again in the next sync's peak). Emptied, a stray reference holds shells.
   */
  release(): void;
}

export async function buildPlan(request: PlanRequest): Promise<BuiltPlan> {
  const { db, orgId, source } = request;
  const [schoolLinks, academicSessionLinks] = await Promise.all([loadLinks(db, orgId, source, "school"), loadLinks(db, orgId, source, "academicSession")]);
  // A full read's links come first: the store then keeps an unchanged learner as its id alone.
  let people = request.changesOnly ? undefined : await loadPeopleLinks(db, orgId, source);

  request.onProgress?.("reading", 0);
  const store = new SnapshotStore({ knownFingerprint: (sourceId) => people?.learners.activeFingerprint(sourceId), onProgress: request.onProgress });
  const summary = await request.read(store);
  request.onProgress?.("planning", store.recordsRead);
  const delta = summary.mode === "delta";
  people ??= delta ? await loadMentionedLinks(db, orgId, source, store) : await loadPeopleLinks(db, orgId, source);
  const { learners: learnerLinks, educators: educatorLinks, classes: classLinks } = people;
  const partial = request.changesOnly === true && delta;
  const scoped = applyScope(
    store,
    request.context.row.scope,
    delta ? { isSynced: (entity, sourceId) => (entity === "learner" ? learnerLinks : educatorLinks).get(sourceId)?.status === "active" } : undefined,
  );
  collectIfGrown();

  // Whole rows only where reconcile looks at them: changed linked learners and the ones leaving.
  const neededLearnerIds: string[] = [];
  for (const sourceId of store.learners.keptWhole()) {
    const link = learnerLinks.get(sourceId);
    if (link && scoped.learners.has(sourceId)) neededLearnerIds.push(link.entityId);
  }
  for (const sourceId of goneSourceIds({
    mode: summary.mode,
    links: learnerLinks,
    inScope: scoped.learners,
    tombstones: store.tombstones,
    entity: "learner",
  })) {
    const link = learnerLinks.get(sourceId);
    if (link) neededLearnerIds.push(link.entityId);
  }
  let anyUnlinkedIncoming = false;
  for (const sourceId of scoped.learners) {
    if (learnerLinks.has(sourceId)) continue;
    anyUnlinkedIncoming = true;
    break;
  }
  const carryover = request.context.reconcile.autoCarryover;

  const [linkedLearners, unlinkedLearners, archivedLearners, educators, classes, schools, academicSessions] = await Promise.all([
    loadLearnersById(db, orgId, source, neededLearnerIds),
    anyUnlinkedIncoming ? loadUnlinkedLearners(db, orgId, source) : Promise.resolve([]),
    anyUnlinkedIncoming && carryover ? loadArchivedLearners(db, orgId, source) : Promise.resolve([]),
    loadEducators(db, orgId, source, partial ? mentionedRows(educatorLinks, store.educators.keys()) : { all: true }),
    loadClasses(db, orgId, source, partial ? mentionedRows(classLinks, store.classes.keys()) : { all: true }),
    loadSchools(db, orgId, source),
    loadAcademicSessions(db, orgId, source),
  ]);

  const baseState: CurrentRoster = {
    source,
    learnerLinks,
    educatorLinks,
    classLinks,
    schoolLinks,
    academicSessionLinks,
    linkedLearners,
    unlinkedLearners,
    archivedLearners,
    educators: educators.byId,
    unlinkedEducators: educators.unlinked,
    classes: classes.byId,
    unlinkedClasses: classes.unlinked,
    schools: schools.byId,
    unlinkedSchools: schools.unlinked,
    academicSessions,
    classMembers: new Map(),
  };
  const input: ReconcileInput = {
    scoped,
    mode: summary.mode,
    classPlaces: summary.classPlaces,
    state: baseState,
    settings: request.context.reconcile,
    decisions: request.decisions,
    trigger: request.trigger,
    matcher: request.matcher,
  };
  const entities = planEntities(input);
  collectIfGrown();
  const classMembers = await loadClassMembers(db, classesNeedingMembers(input, entities));
  collectIfGrown();
  const plan = completePlan({ ...input, state: { ...baseState, classMembers } }, entities);
  collectIfGrown();
  request.onProgress?.("planned", store.recordsRead);

  const links = { schools: schoolLinks, academicSessions: academicSessionLinks, classes: classLinks, learners: learnerLinks, educators: educatorLinks };
  const readCounts = {
    schools: store.schools.size,
    learners: store.learnerCount,
    educators: store.educators.size,
    classes: store.classes.size,
    enrolments: store.enrolments.length,
  };
  // The methods below use none of the snapshot store: a closure that did would keep all of it alive as long as the plan.
  return {
    plan,
    summary,
    state: { links },
    outOfScope: scoped.outOfScope,
    readCounts,
    async syncedTotals() {
      // Places are counted (a query over every enrolment) only when the rules look at them.
      const placesMatter = plan.counts.enrolments.Desynced > 0 || (summary.mode === "full" && readCounts.enrolments === 0);
      // A delta read's links are only those it mentions: what is synced is counted, and only for a kind that loses some.
      const synced = (links: LinkTable, entity: "learner" | "educator" | "class", leaving: number) =>
        !partial ? links.activeCount : leaving > 0 ? countSynced(db, orgId, source, entity) : 0;
      return {
        learners: await synced(learnerLinks, "learner", plan.counts.learners.Desynced),
        educators: await synced(educatorLinks, "educator", plan.counts.educators.Desynced),
        classes: await synced(classLinks, "class", plan.counts.classes.Desynced),
        enrolments: placesMatter ? await loadSyncedPlaces(db, orgId, source) : 0,
      };
    },
    release() {
      emptyPlan(plan);
      for (const table of Object.values(links)) table.clear();
    },
  };
}

/** Every list of a plan emptied, its counts kept (BuiltPlan.release). */
function emptyPlan(plan: Plan): void {
  const lists = [
    plan.schools,
    plan.academicSessions,
    plan.learners,
    plan.educators,
    plan.classes,
    plan.learnerFingerprintRefresh,
    plan.enrolments.add,
    plan.enrolments.remove,
    plan.classEducators.add,
    plan.classEducators.remove,
    plan.problems,
  ];
  for (const list of lists) list.length = 0;
  plan.classDigests.clear();
}

interface PeopleLinks {
  learners: LinkTable;
  educators: LinkTable;
  classes: LinkTable;
}

async function loadPeopleLinks(db: Db, orgId: string, source: Source): Promise<PeopleLinks> {
  const [learners, educators, classes] = await Promise.all([
    loadLinks(db, orgId, source, "learner"),
    loadLinks(db, orgId, source, "educator"),
    loadLinks(db, orgId, source, "class"),
  ]);
  return { learners, educators, classes };
}

/** The links of what a delta read mentions: its records, their classes' members, and what it deletes. */
async function loadMentionedLinks(db: Db, orgId: string, source: Source, store: SnapshotStore): Promise<PeopleLinks> {
  const learners = new Set<string>([...store.learners.keptWhole(), ...store.learners.unchanged()]);
  const educators = new Set<string>(store.educators.keys());
  const classes = new Set<string>(store.classes.keys());
  store.enrolments.forEach("learner", (_classId, learnerId) => learners.add(learnerId));
  store.enrolments.forEach("educator", (_classId, educatorId) => educators.add(educatorId));
  for (const tombstone of store.tombstones) {
    if (tombstone.entity === "learner") learners.add(tombstone.sourceId);
    if (tombstone.entity === "educator") educators.add(tombstone.sourceId);
    if (tombstone.entity === "class") classes.add(tombstone.sourceId);
    if (tombstone.entity === "enrolment" && tombstone.classSourceId && tombstone.personSourceId) {
      classes.add(tombstone.classSourceId);
      learners.add(tombstone.personSourceId);
      educators.add(tombstone.personSourceId);
    }
  }
  const [learnerLinks, educatorLinks, classLinks] = await Promise.all([
    loadLinksOf(db, orgId, source, "learner", learners),
    loadLinksOf(db, orgId, source, "educator", educators),
    loadLinksOf(db, orgId, source, "class", classes),
  ]);
  return { learners: learnerLinks, educators: educatorLinks, classes: classLinks };
}

/** The rows a delta read's links lead to, and the unlinked rows when an incoming record has no link (it may match one). */
function mentionedRows(links: LinkTable, incoming: Iterable<string>): RowChoice {
  const ids = [...links.values()].map((link) => link.entityId);
  let unlinked = false;
  for (const sourceId of incoming) {
    if (links.has(sourceId)) continue;
    unlinked = true;
    break;
  }
  return { ids, unlinked };
}
