/**
 * Schools and academic sessions: the frame the rest hangs on. Linked by source id; an unlinked
 * school of the same name is linked rather than duplicated. They are never deactivated by a
 * sync: a school that leaves the roster keeps its rows, and its classes and learners go
 * through their own states.
 */
import { academicSessionFieldsOf, diffFields, pick, schoolFieldsOf } from "./fields.ts";
import type { AcademicSessionFields, PlanItem, ReconcileInput, SchoolFields } from "./types.ts";

const SCHOOL_TEMPLATE: SchoolFields = schoolFieldsOf({ sourceId: "", name: "" });
const SESSION_TEMPLATE: AcademicSessionFields = academicSessionFieldsOf({ sourceId: "", title: "", type: "term" });

export function reconcileSchools(input: ReconcileInput): PlanItem<SchoolFields>[] {
  const { scoped, state } = input;
  const items: PlanItem<SchoolFields>[] = [];
  const unlinkedByName = new Map(state.unlinkedSchools.map((school) => [school.name.trim().toLowerCase(), school]));
  for (const [sourceId, record] of scoped.store.schools) {
    const fields = schoolFieldsOf(record);
    const link = state.schoolLinks.get(sourceId);
    const current = link ? state.schools.get(link.entityId) : unlinkedByName.get(fields.name.trim().toLowerCase());
    if (!current) {
      items.push({ status: "New", action: "create", sourceId, entityId: null, fields, changes: [], label: fields.name });
      continue;
    }
    const changes = diffFields(pick(current, SCHOOL_TEMPLATE), fields);
    if (link && changes.length === 0 && current.status === "active") continue;
    if (!link) unlinkedByName.delete(current.name.trim().toLowerCase());
    items.push({
      status: link ? "Synced" : "Matched",
      action: link ? (current.status === "active" ? "update" : "restore") : "link",
      sourceId,
      entityId: current.id,
      fields,
      changes,
      label: fields.name,
    });
  }
  return items;
}

export function reconcileAcademicSessions(input: ReconcileInput): PlanItem<AcademicSessionFields>[] {
  const { scoped, state } = input;
  const items: PlanItem<AcademicSessionFields>[] = [];
  for (const [sourceId, record] of scoped.store.academicSessions) {
    const fields = academicSessionFieldsOf(record);
    const link = state.academicSessionLinks.get(sourceId);
    const current = link ? state.academicSessions.get(link.entityId) : undefined;
    if (!current) {
      items.push({ status: "New", action: "create", sourceId, entityId: null, fields, changes: [], label: fields.title });
      continue;
    }
    const changes = diffFields(pick(current, SESSION_TEMPLATE), fields);
    if (changes.length === 0) continue;
    items.push({ status: "Synced", action: "update", sourceId, entityId: current.id, fields, changes, label: fields.title });
  }
  return items;
}
