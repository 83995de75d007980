/**
 * A preview shows a learner's classes moving with their record, as the MIS user sync's review
 * asks: the classes they are in now on the left, the ones they will be in on the right
 * ("10A, 10x/Ma1" -> "11A, 11x/Ma1"). Only for learners the plan changes or links, and at most
 * a few thousand of them: a preview is read by a person.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client.ts";
import type { FieldChange } from "../reconcile/types.ts";
import type { BuiltPlan } from "./planner.ts";

const MOST_LEARNERS = 5_000;

export async function classMoves(db: Db, built: BuiltPlan, options: { endsClassesLeavingTheRoster: boolean }): Promise<Map<string, FieldChange>> {
  const { plan } = built;
  // The MIS user sync ends last year's classes once it has synced: a learner leaves those too.
  const ending = new Set(
    options.endsClassesLeavingTheRoster ? plan.classes.filter((item) => item.status === "Desynced" && item.entityId).map((item) => item.entityId!) : [],
  );
  const learnerOf = new Map<string, string>();
  for (const item of plan.learners) {
    if ((item.status === "Synced" || item.status === "Matched") && item.entityId && item.sourceId) learnerOf.set(item.sourceId, item.entityId);
    if (learnerOf.size >= MOST_LEARNERS) break;
  }
  const ids = new Set(learnerOf.values());
  const leaving = new Map<string, Set<string>>();
  for (const place of plan.enrolments.remove) if (ids.has(place.personId)) setOf(leaving, place.personId).add(place.classId);
  const joining = new Map<string, Set<string>>();
  for (const addition of plan.enrolments.add)
    for (const sourceId of addition.personSourceIds) {
      const learnerId = learnerOf.get(sourceId);
      if (learnerId) setOf(joining, learnerId).add(addition.classSourceId);
    }
  const moving = [...new Set([...leaving.keys(), ...joining.keys(), ...(ending.size ? ids : [])])];
  if (!moving.length) return new Map();

  const current = await queryRows<{ learner_id: string; class_id: string; name: string }>(
    db,
    sql`select e.learner_id, c.id as class_id, coalesce(c.name_override, c.name) as name from enrolments e join classes c on c.id = e.class_id
        where e.learner_id = any(${sql.param(moving)}::uuid[]) and c.status = 'active'`,
  );
  const joiningNames = await namesOfIncoming(db, built, new Set([...joining.values()].flatMap((classes) => [...classes])));

  const moves = new Map<string, FieldChange>();
  for (const learnerId of moving) {
    const now = current.filter((row) => row.learner_id === learnerId);
    const before = now.map((row) => row.name).sort();
    const kept = now.filter((row) => !leaving.get(learnerId)?.has(row.class_id) && !ending.has(row.class_id)).map((row) => row.name);
    const after = [...kept, ...[...(joining.get(learnerId) ?? [])].map((sourceId) => joiningNames.get(sourceId) ?? "a new class")].sort();
    if (before.join("\n") !== after.join("\n")) moves.set(learnerId, { field: "classes", before: before.join(", ") || null, after: after.join(", ") || null });
  }
  return moves;
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let found = map.get(key);
  if (!found) map.set(key, (found = new Set()));
  return found;
}

/** Names of the classes learners join: as this plan writes them, or as they are now. */
async function namesOfIncoming(db: Db, built: BuiltPlan, sourceIds: Set<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const item of built.plan.classes) if (item.sourceId && sourceIds.has(item.sourceId) && item.fields) names.set(item.sourceId, item.fields.name);
  const linked = [...sourceIds]
    .filter((sourceId) => !names.has(sourceId))
    .flatMap((sourceId) => {
      const link = built.state.links.classes.get(sourceId);
      return link ? [[sourceId, link.entityId] as const] : [];
    });
  if (!linked.length) return names;
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id, coalesce(name_override, name) as name from classes where id = any(${sql.param(linked.map(([, id]) => id))}::uuid[])`,
  );
  const nameById = new Map(rows.map((row) => [row.id, row.name]));
  for (const [sourceId, id] of linked) {
    const name = nameById.get(id);
    if (name) names.set(sourceId, name);
  }
  return names;
}
