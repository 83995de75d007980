/**
 * Scope: which part of a snapshot this organization syncs (ARCHITECTURE.md, "Vocabulary").
 * - grades: Clever's recommended sharing rule. A class is in scope when one of its grades
 *   is chosen (a class without grades, when one of its learners' grades is); learners and
 *   educators of those classes are in scope, and so are learners in a chosen grade who
 *   are in no class at all. Every grade chosen means all of them: every class and every
 *   learner, with a grade or without one.
 * - selection: the promotion wizard's ticked registration groups, subject classes and pupils.
 * Enrolments are in scope when both their class and their person are. What a scope leaves
 * out is counted by why, so the plan can say so: nothing is left out silently.
 */
import { GRADE_CODES } from "../../roster/snapshot.ts";
import type { SyncScope } from "../../db/schema/sync.ts";
import type { OutOfScope } from "../../run-record.ts";
import { IdSet, type SourceIdSet } from "../../lib/compact/id-set.ts";
import type { SnapshotStore } from "../snapshot/store.ts";

export interface ScopedSnapshot {
  store: SnapshotStore;
  classes: Set<string>;
  learners: SourceIdSet;
  educators: SourceIdSet;
  outOfScope: OutOfScope;
}

export const isAllGrades = (scope: SyncScope) => scope.kind === "grades" && GRADE_CODES.every((code) => scope.grades.includes(code));

/**
 * A delta read names only what changed: a changed learner or educator already synced stays in
 * scope though none of their classes came with them (whether they still belong is a full read's
 * question).
 */
export interface DeltaScope {
  isSynced(entity: "learner" | "educator", sourceId: string): boolean;
}

export function applyScope(store: SnapshotStore, scope: SyncScope, delta?: DeltaScope): ScopedSnapshot {
  const all = isAllGrades(scope);
  const classes = all ? new Set(store.classes.keys()) : scope.kind === "grades" ? classesInGrades(store, new Set(scope.grades)) : chosenClasses(store, scope);
  // Sets over the store's numbering of people: a million learners cost a megabyte each.
  const learners = new IdSet(store.people);
  const educators = new IdSet(store.people);
  const enrolled = new IdSet(store.people);
  store.enrolments.forEach("learner", (classId, learnerId) => {
    enrolled.add(learnerId);
    if (classes.has(classId) && store.learners.has(learnerId)) learners.add(learnerId);
  });
  store.enrolments.forEach("educator", (classId, educatorId) => {
    if (classes.has(classId) && store.educators.has(educatorId)) educators.add(educatorId);
  });
  if (all) {
    for (const id of allLearnerIds(store)) learners.add(id);
  } else if (scope.kind === "grades") {
    const grades = new Set(scope.grades);
    for (const id of allLearnerIds(store)) {
      // Most learners are in a class: only the others need their grade (unpacked from the store).
      if (enrolled.has(id)) continue;
      const grade = store.learners.gradeOf(id);
      if (grade !== undefined && grades.has(grade)) learners.add(id);
    }
  } else {
    for (const id of scope.learners) if (store.learners.has(id)) learners.add(id);
  }
  if (delta) {
    for (const id of allLearnerIds(store)) if (delta.isSynced("learner", id)) learners.add(id);
    for (const id of store.educators.keys()) if (delta.isSynced("educator", id)) educators.add(id);
  }
  const outOfScope = leftOut(store, scope, { classes, learners, educators, enrolled });
  return { store, classes, learners, educators, outOfScope };
}

function leftOut(store: SnapshotStore, scope: SyncScope, kept: { classes: Set<string>; learners: IdSet; educators: IdSet; enrolled: IdSet }): OutOfScope {
  const out: OutOfScope = {
    scope: scope.kind,
    classes: store.classes.size - kept.classes.size,
    learnersInOtherClasses: 0,
    learnersInOtherGrades: 0,
    learnersWithoutGrade: 0,
    learnersNotChosen: 0,
    educators: store.educators.size - kept.educators.size,
  };
  if (kept.learners.size === store.learnerCount) return out;
  for (const id of allLearnerIds(store)) {
    if (kept.learners.has(id)) continue;
    if (kept.enrolled.has(id)) out.learnersInOtherClasses++;
    else if (scope.kind === "selection") out.learnersNotChosen++;
    else if (store.learners.gradeOf(id) === undefined) out.learnersWithoutGrade++;
    else out.learnersInOtherGrades++;
  }
  return out;
}

function* allLearnerIds(store: SnapshotStore): Generator<string> {
  yield* store.learners.keptWhole();
  yield* store.learners.unchanged();
}

function classesInGrades(store: SnapshotStore, grades: Set<string>): Set<string> {
  const inScope = new Set<string>();
  for (const [id, klass] of store.classes) {
    const matches = klass.yearGroups.length
      ? klass.yearGroups.some((group) => grades.has(group.code))
      : store.enrolments.membersOf(id).learners.some((learnerId) => grades.has(store.learners.gradeOf(learnerId) ?? ""));
    if (matches) inScope.add(id);
  }
  return inScope;
}

function chosenClasses(store: SnapshotStore, scope: Extract<SyncScope, { kind: "selection" }>): Set<string> {
  const chosen = new Set([...scope.registrationGroups, ...scope.subjectClasses]);
  return new Set([...store.classes.keys()].filter((id) => chosen.has(id)));
}
