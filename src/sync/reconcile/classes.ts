/**
 * Classes: linked by source id, else matched to an unlinked class of the same name, kind and
 * school (a class re-created in the source keeps its platform history), else New. A renamed
 * class keeps the admin's name when "allow edits to classroom names" is on; when it is off,
 * the roster's name wins and the override is cleared.
 */
import { desyncedItem, goneSourceIds, removalAction } from "./desync.ts";
import { classFieldsOf } from "./fields.ts";
import { type SchoolRows, sameNameKey } from "./school-rows.ts";
import type { ClassFields, CurrentClass, PlanItem, ReconcileInput } from "./types.ts";
import { emptyCounts, type StatusCounts } from "../../run-record.ts";

const FIELD_TEMPLATE: ClassFields = classFieldsOf(
  { sourceId: "", schoolSourceId: "", kind: "subject_class", name: "", yearGroups: [], academicSessionSourceIds: [] },
  null,
);

/** A class is the same class when its school row, kind and name are the same. */
const classKey = (school: string | null, fields: { kind: string; name: string }) => `${school ?? ""}|${fields.kind}|${sameNameKey(fields.name)}`;

export function reconcileClasses(input: ReconcileInput, schools: SchoolRows): { items: PlanItem<ClassFields>[]; counts: StatusCounts } {
  const { scoped, state, settings, mode } = input;
  const items: PlanItem<ClassFields>[] = [];
  const counts = emptyCounts();
  const unlinkedByKey = new Map<string, CurrentClass>();
  for (const klass of state.unlinkedClasses) unlinkedByKey.set(classKey(schools.ofCurrent(klass), klass), klass);
  const keepOverride = (current: CurrentClass | undefined) => (settings.allowClassNameOverride ? (current?.nameOverride ?? null) : null);

  for (const sourceId of scoped.classes) {
    const record = scoped.store.classes.get(sourceId)!;
    const link = state.classLinks.get(sourceId);
    const current = link
      ? state.classes.get(link.entityId)
      : unlinkedByKey.size
        ? unlinkedByKey.get(classKey(schools.of(record.schoolSourceId), record))
        : undefined;
    if (link && !current) throw new Error(`reconcile: the row of linked class ${link.entityId} was not loaded`);
    const fields = classFieldsOf(record, keepOverride(current));
    const label = fields.nameOverride ?? fields.name;
    if (!current) {
      counts.New++;
      items.push({ status: "New", action: "create", sourceId, entityId: null, fields, changes: [], label });
      continue;
    }
    const changes = schools.changes(current, fields, FIELD_TEMPLATE);
    if (link) {
      if (current.status === "active" && changes.length === 0) {
        counts.Unchanged++;
        continue;
      }
      counts.Synced++;
      items.push({ status: "Synced", action: current.status === "active" ? "update" : "restore", sourceId, entityId: current.id, fields, changes, label });
      continue;
    }
    unlinkedByKey.delete(classKey(schools.ofCurrent(current), current));
    counts.Matched++;
    items.push({
      status: "Matched",
      action: current.status === "active" ? "link" : "restore",
      sourceId,
      entityId: current.id,
      fields,
      changes,
      label,
      explanation: { matchedOn: "name, kind and school" },
    });
  }

  const action = removalAction(settings);
  for (const sourceId of goneSourceIds({ mode, links: state.classLinks, inScope: scoped.classes, tombstones: scoped.store.tombstones, entity: "class" })) {
    const link = state.classLinks.get(sourceId);
    const current = link && state.classes.get(link.entityId);
    if (!link || !current || link.status !== "active") continue;
    counts.Desynced++;
    items.push(desyncedItem(action, sourceId, current.id, current.nameOverride ?? current.name));
  }
  return { items, counts };
}
