/**
 * Enrolments (learners in classes) and class educators. A synced class's members follow the
 * source. Each class keeps a digest of the members it was last given, so a class whose
 * members did not change is skipped without loading them: for a no-change sync of five
 * million enrolments, nothing is read but the digests.
 */
import { membersDigest } from "../snapshot/fingerprint.ts";
import type { SourceIdSet } from "../../lib/compact/id-set.ts";
import type { ClassAdditions, ClassFields, EducatorFields, LearnerFields, Membership, MembershipRemoval, PlanItem, ReconcileInput } from "./types.ts";
import { emptyCounts, type StatusCounts } from "../../run-record.ts";

export interface EntityOutcome {
  learners: { items: PlanItem<LearnerFields>[]; placed: SourceIdSet };
  educators: { items: PlanItem<EducatorFields>[]; placed: SourceIdSet };
  classes: { items: PlanItem<ClassFields>[] };
}

interface ClassTarget {
  sourceId: string;
  /**
   * "whole": the lists are the class's members after apply. "changes" (a delta read that names
   * only what changed): the lists join, `leaving` leave, and everyone else stays.
   */
  kind: "whole" | "changes";
  /** People whose place the source deleted (OneRoster delta enrollments), for "changes". */
  leaving: string[];
  /** The class row, or null for a class this run creates. */
  classId: string | null;
  /** The digest stored on the row; only an already-linked, active class can be Unchanged. */
  storedDigest: string | null;
  /** Empty for an unchanged class: its members are only counted, and a million-learner district keeps no copy of them. */
  learners: string[];
  educators: { sourceId: string; primary: boolean }[];
  /** How many places the class has (learners and educators), kept when the lists are not. */
  places: number;
  digest: string;
}

interface ClassTargets {
  targets: ClassTarget[];
  emptied: string[];
  unlinked: string[];
}

// The planner asks which classes need their members loaded, then plans them: both need the
// targets, which for a large district are worth working out once.
const targetsOf = new WeakMap<EntityOutcome, ClassTargets>();

function classTargets(input: ReconcileInput, entities: EntityOutcome): ClassTargets {
  let found = targetsOf.get(entities);
  if (!found) {
    found = computeClassTargets(input, entities);
    targetsOf.set(entities, found);
  }
  return found;
}

/**
 * What each in-scope class should contain after apply; which classes lose everything (removal
 * on); and which leave the synced roster but keep their members (removal off): their places
 * are counted as leaving, not changed.
 */
function computeClassTargets(input: ReconcileInput, entities: EntityOutcome): ClassTargets {
  const { scoped, state } = input;
  const itemBySource = new Map(entities.classes.items.map((item) => [item.sourceId, item]));
  const targets: ClassTarget[] = [];
  const kind = input.mode === "delta" && input.classPlaces !== "whole" ? "changes" : "whole";
  const isPlaced = placedOrSynced(input, entities);
  const leavingOf = deletedPlaces(input);
  for (const sourceId of scoped.classes) {
    const item = itemBySource.get(sourceId);
    const link = state.classLinks.get(sourceId);
    const classId = item ? item.entityId : (link?.entityId ?? null);
    const members = scoped.store.enrolments.membersOf(sourceId);
    // Usually every member is placed: the list is then kept as it is, not copied.
    const learners = members.learners.every((id) => isPlaced.learner(id)) ? members.learners : members.learners.filter((id) => isPlaced.learner(id));
    const educators = members.educators.filter((educator) => isPlaced.educator(educator.sourceId));
    if (kind === "changes") {
      const leaving = leavingOf.get(sourceId) ?? [];
      const changed = learners.length + educators.length + leaving.length > 0;
      targets.push({
        sourceId,
        kind,
        leaving,
        classId,
        storedDigest: null,
        learners,
        educators,
        places: learners.length + educators.length,
        digest: changed ? STALE : "",
      });
      continue;
    }
    const linkedAndActive = link && (!item || item.status === "Synced") && state.classes.get(link.entityId)?.status === "active";
    const storedDigest = linkedAndActive ? (state.classes.get(link.entityId)?.membersDigest ?? null) : null;
    const digest = membersDigest(
      learners,
      educators.map((educator) => educator.sourceId),
    );
    const unchanged = classId !== null && digest === storedDigest;
    targets.push({
      sourceId,
      kind,
      leaving: [],
      classId,
      storedDigest,
      learners: unchanged ? [] : learners,
      educators: unchanged ? [] : educators,
      places: learners.length + educators.length,
      digest,
    });
  }
  // With removal on, a class that leaves the roster loses its members too.
  const leaving = entities.classes.items.filter((item) => item.status === "Desynced");
  const emptied = leaving.filter((item) => item.action === "deactivate" || item.action === "remove").map((item) => item.entityId!);
  const unlinked = leaving.filter((item) => item.action === "unlink").map((item) => item.entityId!);
  return { targets, emptied, unlinked };
}

/**
 * A class whose places changed in a delta read gets this digest: its members are then known
 * only in part, so the next full read compares them one by one instead of trusting a digest.
 */
const STALE = "stale";

/**
 * Who may hold a place: the people this run places and, in a delta read, everyone already
 * synced whom the source did not delete (a changed class names members that did not change).
 */
function placedOrSynced(input: ReconcileInput, entities: EntityOutcome) {
  if (input.mode !== "delta") return { learner: (id: string) => entities.learners.placed.has(id), educator: (id: string) => entities.educators.placed.has(id) };
  const deleted = new Set(
    input.scoped.store.tombstones
      .filter((tombstone) => tombstone.entity === "learner" || tombstone.entity === "educator")
      .map((tombstone) => tombstone.sourceId),
  );
  const synced = (links: ReconcileInput["state"]["learnerLinks"], id: string) => links.get(id)?.status === "active" && !deleted.has(id);
  return {
    learner: (id: string) => entities.learners.placed.has(id) || synced(input.state.learnerLinks, id),
    educator: (id: string) => entities.educators.placed.has(id) || synced(input.state.educatorLinks, id),
  };
}

/** The places a delta read deletes, by class source id. */
function deletedPlaces(input: ReconcileInput): Map<string, string[]> {
  const byClass = new Map<string, string[]>();
  for (const tombstone of input.scoped.store.tombstones) {
    if (tombstone.entity !== "enrolment" || !tombstone.classSourceId || !tombstone.personSourceId) continue;
    const list = byClass.get(tombstone.classSourceId) ?? [];
    list.push(tombstone.personSourceId);
    byClass.set(tombstone.classSourceId, list);
  }
  return byClass;
}

/** The class ids whose current members must be loaded before memberships can be planned (or counted). */
export function classesNeedingMembers(input: ReconcileInput, entities: EntityOutcome): string[] {
  const { targets, emptied, unlinked } = classTargets(input, entities);
  const changed = targets
    .filter((target) => target.classId && (target.kind === "changes" ? target.digest === STALE : target.digest !== target.storedDigest))
    .map((target) => target.classId!);
  return [...changed, ...emptied, ...unlinked];
}

export interface MembershipOutcome {
  enrolments: { add: ClassAdditions[]; remove: MembershipRemoval[] };
  classEducators: { add: (Membership & { primary: boolean })[]; remove: MembershipRemoval[] };
  classDigests: Map<string, string>;
  counts: StatusCounts;
}

export function reconcileMemberships(input: ReconcileInput, entities: EntityOutcome): MembershipOutcome {
  const { state } = input;
  const { targets, emptied, unlinked } = classTargets(input, entities);
  const outcome: MembershipOutcome = {
    enrolments: { add: [], remove: [] },
    classEducators: { add: [], remove: [] },
    classDigests: new Map(),
    counts: emptyCounts(),
  };
  // The row each placed learner and educator will have: linked, matched, or (null) new.
  const learnerIds = idsBySource(state.learnerLinks, entities.learners.items);
  const educatorIds = idsBySource(state.educatorLinks, entities.educators.items);
  // A leaver kept active (removal off) keeps its classes too: nothing destructive happens to it,
  // but its places leave the synced roster, so they are counted as Desynced (the hold counts them).
  const keptLearners = keptOnLeaving(entities.learners.items);
  // A learner a May match points at keeps their places until an admin answers: the pair may be the same child.
  const awaitingAnswer = new Set(entities.learners.items.filter((item) => item.status === "May match").map((item) => item.entityId!));
  const keptEducators = keptOnLeaving(entities.educators.items);

  for (const target of targets) {
    if (target.kind === "changes") {
      planPlaceChanges(target, { state, learnerIds, educatorIds, outcome });
      continue;
    }
    if (target.classId && target.digest === target.storedDigest) {
      // Enrolments count learners' and educators' places in classes, as OneRoster's enrolments do.
      outcome.counts.Unchanged += target.places;
      continue;
    }
    outcome.classDigests.set(target.sourceId, target.digest);
    if (!target.classId) {
      // A class this run creates: every member joins (a first sync's five million places, without copies).
      if (target.learners.length) outcome.enrolments.add.push({ classSourceId: target.sourceId, personSourceIds: target.learners });
      for (const educator of target.educators)
        outcome.classEducators.add.push({ classSourceId: target.sourceId, personSourceId: educator.sourceId, primary: educator.primary });
      outcome.counts.New += target.places;
      continue;
    }
    const current = state.classMembers.get(target.classId);
    if (!current) throw new Error(`reconcile: the members of class ${target.classId} were not loaded`);

    const wantedLearners = new Set(target.learners.map((sourceId) => learnerIds.get(sourceId)).filter((id): id is string => Boolean(id)));
    const joining: string[] = [];
    for (const sourceId of target.learners) {
      const id = learnerIds.get(sourceId);
      if (id && current.learnerIds.has(id)) outcome.counts.Unchanged++;
      else joining.push(sourceId);
    }
    if (joining.length) outcome.enrolments.add.push({ classSourceId: target.sourceId, personSourceIds: joining });
    outcome.counts.New += joining.length;
    for (const id of current.learnerIds) {
      if (wantedLearners.has(id)) continue;
      if (awaitingAnswer.has(id)) {
        outcome.counts.Unchanged++;
        continue;
      }
      if (!keptLearners.has(id)) outcome.enrolments.remove.push({ classId: target.classId, personId: id });
      outcome.counts.Desynced++;
    }

    const wantedEducators = new Set(target.educators.map((educator) => educatorIds.get(educator.sourceId)).filter((id): id is string => Boolean(id)));
    for (const educator of target.educators) {
      const id = educatorIds.get(educator.sourceId);
      if (id && current.educatorIds.has(id)) outcome.counts.Unchanged++;
      else {
        outcome.classEducators.add.push({ classSourceId: target.sourceId, personSourceId: educator.sourceId, primary: educator.primary });
        outcome.counts.New++;
      }
    }
    for (const id of current.educatorIds) {
      if (wantedEducators.has(id)) continue;
      if (!keptEducators.has(id)) outcome.classEducators.remove.push({ classId: target.classId, personId: id });
      outcome.counts.Desynced++;
    }
  }

  for (const classId of emptied) {
    const current = state.classMembers.get(classId);
    if (!current) throw new Error(`reconcile: the members of class ${classId} were not loaded`);
    for (const id of current.learnerIds) {
      outcome.enrolments.remove.push({ classId, personId: id });
      outcome.counts.Desynced++;
    }
    for (const id of current.educatorIds) {
      outcome.classEducators.remove.push({ classId, personId: id });
      outcome.counts.Desynced++;
    }
  }
  // An unlinked class keeps its members, who are no longer synced with it.
  for (const classId of unlinked) {
    const current = state.classMembers.get(classId);
    if (!current) throw new Error(`reconcile: the members of class ${classId} were not loaded`);
    outcome.counts.Desynced += current.learnerIds.size + current.educatorIds.size;
  }
  return outcome;
}

/** A delta read's places for one class: who joins and whose place was deleted; everyone else stays. */
function planPlaceChanges(
  target: ClassTarget,
  context: {
    state: ReconcileInput["state"];
    learnerIds: { get(sourceId: string): string | null | undefined };
    educatorIds: { get(sourceId: string): string | null | undefined };
    outcome: MembershipOutcome;
  },
): void {
  const { outcome } = context;
  if (target.digest !== STALE) return;
  outcome.classDigests.set(target.sourceId, STALE);
  const current = target.classId ? context.state.classMembers.get(target.classId) : undefined;
  if (target.classId && !current) throw new Error(`reconcile: the members of class ${target.classId} were not loaded`);
  const joining = target.learners.filter((sourceId) => {
    const id = context.learnerIds.get(sourceId);
    return !(id && current?.learnerIds.has(id));
  });
  if (joining.length) outcome.enrolments.add.push({ classSourceId: target.sourceId, personSourceIds: joining });
  outcome.counts.New += joining.length;
  outcome.counts.Unchanged += target.learners.length - joining.length;
  for (const educator of target.educators) {
    const id = context.educatorIds.get(educator.sourceId);
    if (id && current?.educatorIds.has(id)) {
      outcome.counts.Unchanged++;
      continue;
    }
    outcome.classEducators.add.push({ classSourceId: target.sourceId, personSourceId: educator.sourceId, primary: educator.primary });
    outcome.counts.New++;
  }
  if (!target.classId || !current) return;
  for (const sourceId of target.leaving) {
    const learnerId = context.learnerIds.get(sourceId);
    const educatorId = context.educatorIds.get(sourceId);
    if (learnerId && current.learnerIds.has(learnerId)) outcome.enrolments.remove.push({ classId: target.classId, personId: learnerId });
    else if (educatorId && current.educatorIds.has(educatorId)) outcome.classEducators.remove.push({ classId: target.classId, personId: educatorId });
    else continue;
    outcome.counts.Desynced++;
  }
}

function keptOnLeaving(items: PlanItem<unknown>[]): Set<string> {
  return new Set(items.filter((item) => item.status === "Desynced" && item.action === "unlink").map((item) => item.entityId!));
}

/** Looks up the row a source id will have: this run's match or creation first, then the link. */
function idsBySource(links: ReadonlyMap<string, { entityId: string }>, items: PlanItem<unknown>[]): { get(sourceId: string): string | null | undefined } {
  const planned = new Map<string, string | null>();
  for (const item of items) {
    if (item.sourceId && (item.status === "Matched" || item.status === "New")) planned.set(item.sourceId, item.entityId);
  }
  return { get: (sourceId) => (planned.has(sourceId) ? planned.get(sourceId) : links.get(sourceId)?.entityId) };
}
