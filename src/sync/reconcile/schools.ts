/**
 * Schools and academic sessions: the frame the rest hangs on. Linked by source id; an unlinked
 * school of the same name, or session of the same title, type and school, is linked rather than duplicated. They are never deactivated by a
 * sync: a school that leaves the roster keeps its rows, and its classes and learners go
 * through their own states.
 */
import { academicSessionFieldsOf, diffFields, pick, schoolFieldsOf } from "./fields.ts";
import { type SchoolRows, sameNameKey } from "./school-rows.ts";
import type { AcademicSessionFields, CurrentAcademicSession, PlanItem, ReconcileInput, SchoolFields } from "./types.ts";

const SCHOOL_TEMPLATE: SchoolFields = schoolFieldsOf({ sourceId: "", name: "" });
const SESSION_TEMPLATE: AcademicSessionFields = academicSessionFieldsOf({ sourceId: "", title: "", type: "term" });

export function reconcileSchools(input: ReconcileInput): PlanItem<SchoolFields>[] {
  const { scoped, state } = input;
  const items: PlanItem<SchoolFields>[] = [];
  const unlinkedByName = new Map(state.unlinkedSchools.map((school) => [sameNameKey(school.name), school]));
  for (const [sourceId, record] of scoped.store.schools) {
    const fields = schoolFieldsOf(record);
    const link = state.schoolLinks.get(sourceId);
    const current = link ? state.schools.get(link.entityId) : unlinkedByName.get(sameNameKey(fields.name));
    if (!current) {
      items.push({ status: "New", action: "create", sourceId, entityId: null, fields, changes: [], label: fields.name });
      continue;
    }
    const changes = diffFields(pick(current, SCHOOL_TEMPLATE), fields);
    if (link && changes.length === 0 && current.status === "active") continue;
    if (!link) unlinkedByName.delete(sameNameKey(current.name));
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

/** A session is the same session when its title, type and school are (another feed of the district names it by another id). */
const sessionKey = (school: string | null, fields: { title: string; type: string }) => `${school ?? ""}|${fields.type}|${sameNameKey(fields.title)}`;

export function reconcileAcademicSessions(input: ReconcileInput, schools: SchoolRows): PlanItem<AcademicSessionFields>[] {
  const { scoped, state } = input;
  const items: PlanItem<AcademicSessionFields>[] = [];
  const linked = new Set<string>();
  for (const link of state.academicSessionLinks.values()) linked.add(link.entityId);
  const unlinkedByKey = new Map<string, CurrentAcademicSession>();
  for (const session of state.academicSessions.values())
    if (!linked.has(session.id)) unlinkedByKey.set(sessionKey(schools.ofCurrent(session), session), session);
  for (const [sourceId, record] of scoped.store.academicSessions) {
    const fields = academicSessionFieldsOf(record);
    const link = state.academicSessionLinks.get(sourceId);
    const key = sessionKey(schools.of(fields.schoolSourceId), fields);
    const current = link ? state.academicSessions.get(link.entityId) : unlinkedByKey.get(key);
    if (!current) {
      items.push({ status: "New", action: "create", sourceId, entityId: null, fields, changes: [], label: fields.title });
      continue;
    }
    const changes = schools.changes(current, fields, SESSION_TEMPLATE);
    if (link && changes.length === 0) continue;
    if (!link) unlinkedByKey.delete(key);
    items.push({ status: link ? "Synced" : "Matched", action: link ? "update" : "link", sourceId, entityId: current.id, fields, changes, label: fields.title });
  }
  return items;
}
