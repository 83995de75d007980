/**
 * Writes enrolments and class educators. Removals keep a before-image each (for undo); additions
 * are marked with the run (last_run_id), so undo deletes them without an item per row. An
 * addition that involves a class or learner this run created cannot exist yet and is copied
 * straight in; the rest go through a staging table with ON CONFLICT DO NOTHING.
 */
import type { MembershipRemoval } from "../reconcile/types.ts";
import { ANALYZE_AFTER_ROWS, type ApplyContext, refreshStatistics } from "./entities.ts";
import { applyStep } from "./failure.ts";

interface MembershipTable {
  table: "enrolments" | "class_educators";
  entity: "enrolment" | "classEducator";
  personColumn: "learner_id" | "educator_id";
}

export const ENROLMENTS: MembershipTable = { table: "enrolments", entity: "enrolment", personColumn: "learner_id" };
export const CLASS_EDUCATORS: MembershipTable = { table: "class_educators", entity: "classEducator", personColumn: "educator_id" };

export interface MembershipIds {
  classId(sourceId: string): string | undefined;
  personId(sourceId: string): string | undefined;
  /** Created in this run: a membership involving it is certainly new. */
  isNewClass(classSourceId: string): boolean;
  isNewPerson(personSourceId: string): boolean;
}

export async function removeMemberships(ctx: ApplyContext, spec: MembershipTable, removals: readonly MembershipRemoval[]): Promise<void> {
  if (!removals.length) return;
  const stage = `stage_remove_${spec.table}`;
  await ctx.sql.query(`create temp table ${stage} (class_id uuid, person_id uuid) on commit drop`);
  await ctx.sql.copyIn(
    stage,
    ["class_id", "person_id"],
    removals.map((removal) => [removal.classId, removal.personId]),
  );
  await ctx.sql.query(`analyze ${stage}`);
  await ctx.sql.query(
    `insert into sync_run_items (run_id, org_id, entity, status, action, entity_id, label, before)
     select $1, $2, $3, 'Desynced', 'remove', m.${spec.personColumn}, null, jsonb_build_object('row', to_jsonb(m))
     from ${spec.table} m join ${stage} s on m.class_id = s.class_id and m.${spec.personColumn} = s.person_id`,
    [ctx.runId, ctx.orgId, spec.entity],
  );
  await ctx.sql.query(`delete from ${spec.table} m using ${stage} s where m.class_id = s.class_id and m.${spec.personColumn} = s.person_id`);
  await ctx.sql.query(`drop table ${stage}`);
}

/** One addition, as apply walks them; produced lazily so millions never exist at once. */
export interface Addition {
  classSourceId: string;
  personSourceId: string;
  primary?: boolean | undefined;
}

/**
 * Adds memberships. `additions` is walked up to three times (count, certain, possible) instead
 * of being copied into arrays, so five million enrolments cost no more memory than their plan.
 * Returns the row ids of people who existed before this run and gained a class (their access may change).
 */
export async function addMemberships(ctx: ApplyContext, spec: MembershipTable, additions: () => Iterable<Addition>, ids: MembershipIds): Promise<string[]> {
  const columns =
    spec === CLASS_EDUCATORS
      ? ["org_id", "class_id", spec.personColumn, "is_primary", "created_at", "last_run_id"]
      : ["org_id", "class_id", spec.personColumn, "created_at", "last_run_id"];
  const rowOf = (addition: Addition): unknown[] => {
    const classId = ids.classId(addition.classSourceId);
    const personId = ids.personId(addition.personSourceId);
    if (!classId || !personId) throw new Error(`apply: no row for ${spec.entity} ${addition.classSourceId}/${addition.personSourceId}`);
    return spec === CLASS_EDUCATORS
      ? [ctx.orgId, classId, personId, addition.primary ?? false, ctx.now, ctx.runId]
      : [ctx.orgId, classId, personId, ctx.now, ctx.runId];
  };
  const certain = (addition: Addition) => ids.isNewClass(addition.classSourceId) || ids.isNewPerson(addition.personSourceId);
  function* rows(wanted: boolean) {
    for (const addition of additions()) if (certain(addition) === wanted) yield rowOf(addition);
  }
  const people = new Set<string>();
  let possible = 0;
  for (const addition of additions()) {
    if (!ids.isNewPerson(addition.personSourceId)) people.add(ids.personId(addition.personSourceId)!);
    if (!certain(addition)) possible++;
  }
  // A refused line is found again by walking the additions to it (only when a COPY failed).
  const personAt = (wanted: boolean) => (index: number) => {
    let seen = 0;
    for (const addition of additions()) if (certain(addition) === wanted && seen++ === index) return addition.personSourceId;
    return undefined;
  };
  const copied = await applyStep(spec.entity, () => ctx.sql.copyIn(spec.table, columns, rows(true)), personAt(true));
  if (copied >= ANALYZE_AFTER_ROWS) await refreshStatistics(ctx, [spec.table]);
  if (possible) {
    const stage = `stage_add_${spec.table}`;
    await ctx.sql.query(`create temp table ${stage} (like ${spec.table} including defaults) on commit drop`);
    await applyStep(spec.entity, () => ctx.sql.copyIn(stage, columns, rows(false)), personAt(false));
    await ctx.sql.query(`analyze ${stage}`);
    await ctx.sql.query(`insert into ${spec.table} (${columns.join(", ")}) select ${columns.join(", ")} from ${stage} on conflict do nothing`);
    await ctx.sql.query(`drop table ${stage}`);
  }
  return [...people];
}
