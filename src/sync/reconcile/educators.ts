/**
 * Educators go through the same states as learners, with exact matching only: source id (the
 * link), then email, then name within the school (ARCHITECTURE.md, "Review statuses").
 */
import { desyncedItem, goneSourceIds, removalAction } from "./desync.ts";
import { displayName, educatorFieldsOf } from "./fields.ts";
import { type SchoolRows, sameNameKey } from "./school-rows.ts";
import type { CurrentEducator, EducatorFields, PlanItem, ReconcileInput } from "./types.ts";
import { emptyCounts, type StatusCounts } from "../../run-record.ts";

const FIELD_TEMPLATE: EducatorFields = educatorFieldsOf({ sourceId: "", schoolSourceIds: [], givenName: "", familyName: "" });

/** The same name within the same school row. */
const nameKey = (school: string | null, fields: { givenName: string; familyName: string }) =>
  `${school ?? ""}|${sameNameKey(fields.givenName)}|${sameNameKey(fields.familyName)}`;

export function reconcileEducators(
  input: ReconcileInput,
  schools: SchoolRows,
): { items: PlanItem<EducatorFields>[]; counts: StatusCounts; placed: Set<string> } {
  const { scoped, state, settings, mode } = input;
  const items: PlanItem<EducatorFields>[] = [];
  const counts = emptyCounts();
  const placed = new Set<string>();
  const byEmail = new Map<string, CurrentEducator>();
  const byName = new Map<string, CurrentEducator>();
  for (const educator of state.unlinkedEducators) {
    if (educator.email) byEmail.set(educator.email.toLowerCase(), educator);
    byName.set(nameKey(schools.ofCurrent(educator), educator), educator);
  }
  const claimed = new Set<string>();

  for (const sourceId of scoped.educators) {
    const fields = educatorFieldsOf(scoped.store.educators.get(sourceId)!);
    placed.add(sourceId);
    const link = state.educatorLinks.get(sourceId);
    if (link) {
      const current = state.educators.get(link.entityId);
      if (!current) throw new Error(`reconcile: the row of linked educator ${link.entityId} was not loaded`);
      const changes = schools.changes(current, fields, FIELD_TEMPLATE);
      if (current.status === "active" && changes.length === 0) {
        counts.Unchanged++;
        continue;
      }
      counts.Synced++;
      items.push({
        status: "Synced",
        action: current.status === "active" ? "update" : "restore",
        sourceId,
        entityId: current.id,
        fields,
        changes,
        label: displayName(fields),
      });
      continue;
    }
    const candidate = [fields.email ? byEmail.get(fields.email.toLowerCase()) : undefined, byName.get(nameKey(schools.of(fields.schoolSourceId), fields))].find(
      (educator) => educator && !claimed.has(educator.id),
    );
    if (candidate) {
      claimed.add(candidate.id);
      counts.Matched++;
      const matchedOn = candidate.email && candidate.email.toLowerCase() === fields.email?.toLowerCase() ? "email" : "name within the school";
      items.push({
        status: "Matched",
        action: candidate.status === "active" ? "link" : "restore",
        sourceId,
        entityId: candidate.id,
        fields,
        changes: schools.changes(candidate, fields, FIELD_TEMPLATE),
        explanation: { matchedOn },
        label: displayName(fields),
      });
      continue;
    }
    counts.New++;
    items.push({ status: "New", action: "create", sourceId, entityId: null, fields, changes: [], label: displayName(fields) });
  }

  const action = removalAction(settings);
  for (const sourceId of goneSourceIds({
    mode,
    links: state.educatorLinks,
    inScope: scoped.educators,
    tombstones: scoped.store.tombstones,
    entity: "educator",
  })) {
    const link = state.educatorLinks.get(sourceId);
    const current = link && state.educators.get(link.entityId);
    if (!link || !current || link.status !== "active") continue;
    counts.Desynced++;
    items.push(desyncedItem(action, sourceId, link.entityId, displayName(current)));
  }
  return { items, counts, placed };
}
