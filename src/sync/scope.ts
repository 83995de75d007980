/**
 * Scope: which part of a snapshot this organization syncs (DESIGN.md section 1).
 * - grades: Clever's recommended sharing rule. A class is in scope when one of its grades
 *   is chosen (a class without grades, when one of its learners' grades is); learners and
 *   educators of those classes are in scope, and so are learners in a chosen grade who
 *   are in no class at all.
 * - selection: the promotion wizard's ticked registration groups, subject classes and pupils.
 * Enrolments are in scope when both their class and their person are.
 */
import type { SyncScope } from "../db/schema/sync.ts";
import { IdSet, type SourceIdSet } from "./id-set.ts";
import type { SnapshotStore } from "./snapshot-store.ts";

export interface ScopedSnapshot {
  store: SnapshotStore;
  classes: Set<string>;
  learners: SourceIdSet;
  educators: SourceIdSet;
}

export function applyScope(store: SnapshotStore, scope: SyncScope): ScopedSnapshot {
  const classes = scope.kind === "grades" ? classesInGrades(store, new Set(scope.grades)) : chosenClasses(store, scope);
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
  if (scope.kind === "grades") {
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
  return { store, classes, learners, educators };
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
