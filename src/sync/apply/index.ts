/**
 * apply: the only writer of roster tables during a sync (ARCHITECTURE.md, "Data flow"). One
 * transaction; a fixed number of set-based statements per entity; nothing written for
 * Unchanged records. The caller's `finish` runs inside the same transaction (the run's final
 * status, its audit entry and its emails), so a rolled-back apply leaves no trace at all.
 */
import { accessRule } from "../../db/schema/roster.ts";
import { type BulkSql, bulkTransaction } from "../../db/bulk.ts";
import type { Database } from "../../db/client.ts";
import { NewLearnerItem } from "../reconcile/new-learner.ts";
import type { LearnerFields, LinkState, Plan, PlanItem } from "../reconcile/types.ts";
import type { CreatedRowIds } from "../../lib/compact/row-ids.ts";
import { type ApplyContext, writeEntityItems } from "./entities.ts";
import { applyStep } from "./failure.ts";
import { addMemberships, CLASS_EDUCATORS, ENROLMENTS, removeMemberships } from "./memberships.ts";
import { academicSessionSpec, classSpec, educatorSpec, learnerSpec, schoolSpec, type Resolver } from "./specs.ts";

export interface ApplyInput {
  database: Database;
  orgId: string;
  runId: string;
  source: string;
  plan: Plan;
  /** The links reconcile saw, to find rows by source id. */
  links: {
    schools: ReadonlyMap<string, LinkState>;
    academicSessions: ReadonlyMap<string, LinkState>;
    classes: ReadonlyMap<string, LinkState>;
    learners: ReadonlyMap<string, LinkState>;
    educators: ReadonlyMap<string, LinkState>;
  };
  now: Date;
  /** Runs last, in the same transaction. */
  finish?: (sql: BulkSql) => Promise<void>;
}

/** Row ids by source id: this run's creations and matches first, then the existing links. */
function idLookup(links: ReadonlyMap<string, LinkState>, items: readonly PlanItem<unknown>[], created: CreatedRowIds) {
  const matched = new Map<string, string>();
  for (const item of items)
    if (item.sourceId && item.entityId && item.action !== "unlink" && item.action !== "review") matched.set(item.sourceId, item.entityId);
  return (sourceId: string | null): string | null => {
    if (!sourceId) return null;
    return created.get(sourceId) ?? matched.get(sourceId) ?? links.get(sourceId)?.entityId ?? null;
  };
}

export async function applyPlan(input: ApplyInput): Promise<void> {
  const { plan } = input;
  await bulkTransaction(input.database, async (sql) => {
    const yearGroups = await applyStep("learner", () => ensureYearGroups(sql, input.orgId, plan));
    const lookups = {
      school: (_: string | null): string | null => null,
      academicSession: (_: string | null): string | null => null,
    };
    const resolve: Resolver = {
      school: (sourceId) => lookups.school(sourceId),
      academicSession: (sourceId) => lookups.academicSession(sourceId),
      yearGroup: (code, label) => (code ? (yearGroups.get(`${code}|${label ?? code}`) ?? null) : null),
    };
    const ctx: ApplyContext = { sql, orgId: input.orgId, runId: input.runId, source: input.source, now: input.now.toISOString(), resolve };

    const schoolsCreated = await writeEntityItems(ctx, schoolSpec, plan.schools);
    lookups.school = idLookup(input.links.schools, plan.schools, schoolsCreated);
    const sessionsCreated = await writeEntityItems(ctx, academicSessionSpec, plan.academicSessions);
    lookups.academicSession = idLookup(input.links.academicSessions, plan.academicSessions, sessionsCreated);

    const classesCreated = await writeEntityItems(ctx, classSpec, plan.classes, {
      columns: ["members_digest"],
      values: (item) => [plan.classDigests.get(item.sourceId!) ?? null],
    });
    const educatorsCreated = await writeEntityItems(ctx, educatorSpec, plan.educators);
    const enrolledNewLearners = new Set<string>();
    for (const group of plan.enrolments.add) for (const sourceId of group.personSourceIds) enrolledNewLearners.add(sourceId);
    const learnersCreated = await writeEntityItems(ctx, learnerSpec, plan.learners, {
      columns: ["grade_placement", "journey_product_id", "has_access"],
      values: (item) => [
        item.initial?.gradePlacement ?? null,
        item.initial?.journeyProductId ?? null,
        Boolean(item.fields?.yearGroupCode) && item.fields?.enabledInSource !== false && enrolledNewLearners.has(item.sourceId!),
      ],
    });
    await applyStep("learner", () => refreshLearnerFingerprints(ctx, plan));

    const classId = idLookup(input.links.classes, plan.classes, classesCreated);
    const learnerId = idLookup(input.links.learners, plan.learners, learnersCreated);
    const educatorId = idLookup(input.links.educators, plan.educators, educatorsCreated);
    await applyStep("enrolment", () => removeMemberships(ctx, ENROLMENTS, plan.enrolments.remove));
    await applyStep("classEducator", () => removeMemberships(ctx, CLASS_EDUCATORS, plan.classEducators.remove));
    const enrolledExisting = await applyStep("enrolment", () =>
      addMemberships(ctx, ENROLMENTS, () => enrolmentAdditions(plan), {
        classId: (id) => classId(id) ?? undefined,
        personId: (id) => learnerId(id) ?? undefined,
        isNewClass: (klass) => classesCreated.has(klass),
        isNewPerson: (person) => learnersCreated.has(person),
      }),
    );
    await applyStep("classEducator", () =>
      addMemberships(ctx, CLASS_EDUCATORS, () => plan.classEducators.add, {
        classId: (id) => classId(id) ?? undefined,
        personId: (id) => educatorId(id) ?? undefined,
        isNewClass: (klass) => classesCreated.has(klass),
        isNewPerson: (person) => educatorsCreated.has(person),
      }),
    );
    await applyStep("class", () => updateClassDigests(ctx, plan, classesCreated, classId));

    const touched = new Set<string>();
    for (const item of plan.learners) if (item.entityId && item.action !== "review") touched.add(item.entityId);
    for (const removal of plan.enrolments.remove) touched.add(removal.personId);
    for (const id of enrolledExisting) touched.add(id);
    await applyStep("access", () => recomputeAccess(ctx, [...touched]));

    if (input.finish) await applyStep("finish", () => input.finish!(sql));
  });
}

function* enrolmentAdditions(plan: Plan) {
  for (const group of plan.enrolments.add) for (const personSourceId of group.personSourceIds) yield { classSourceId: group.classSourceId, personSourceId };
}

/**
 * A learner item's year group: a New learner's straight from the snapshot as read, since
 * working out each of a million New learners here would cost a pass of its own before the first COPY.
 */
function yearGroupOf(item: PlanItem<LearnerFields>): { code: string; label: string } | null {
  if (item instanceof NewLearnerItem) return item.yearGroup;
  const code = item.fields?.yearGroupCode;
  return code ? { code, label: item.fields!.yearGroupLabel ?? code } : null;
}

/** The organization's year groups: insert the ones this plan uses, then map code|label -> id. */
async function ensureYearGroups(sql: BulkSql, orgId: string, plan: Plan): Promise<Map<string, string>> {
  const wanted = new Map<string, [string, string]>();
  for (const item of plan.learners) {
    const group = yearGroupOf(item);
    if (group) wanted.set(`${group.code}|${group.label}`, [group.code, group.label]);
  }
  if (!wanted.size) return new Map();
  await sql.query(
    `insert into year_groups (org_id, code, label) select $1, code, label from unnest($2::text[], $3::text[]) as t(code, label)
     on conflict (org_id, code, label) do nothing`,
    [orgId, [...wanted.values()].map(([code]) => code), [...wanted.values()].map(([, label]) => label)],
  );
  const rows = await sql.query<{ id: string; code: string; label: string }>(`select id, code, label from year_groups where org_id = $1`, [orgId]);
  return new Map(rows.map((row) => [`${row.code}|${row.label}`, row.id]));
}

/** A record changed only in fields no column holds: the link remembers the new fingerprint. */
async function refreshLearnerFingerprints(ctx: ApplyContext, plan: Plan): Promise<void> {
  if (!plan.learnerFingerprintRefresh.length) return;
  await ctx.sql.query(
    `update source_links l set record_hash = t.fingerprint
     from unnest($3::text[], $4::text[]) as t(source_id, fingerprint)
     where l.org_id = $1 and l.source = $2 and l.entity = 'learner' and l.source_id = t.source_id`,
    [ctx.orgId, ctx.source, plan.learnerFingerprintRefresh.map((entry) => entry.sourceId), plan.learnerFingerprintRefresh.map((entry) => entry.fingerprint)],
  );
}

/** New member digests for existing classes, each with a before-image so undo restores it. */
async function updateClassDigests(ctx: ApplyContext, plan: Plan, created: CreatedRowIds, classId: (sourceId: string | null) => string | null): Promise<void> {
  const changed = [...plan.classDigests].filter(([sourceId]) => !created.has(sourceId));
  if (!changed.length) return;
  const ids = changed.map(([sourceId]) => classId(sourceId));
  await ctx.sql.query(
    `create temp table stage_digests on commit drop as select * from unnest($1::uuid[], $2::text[], $3::text[]) as t(class_id, source_id, digest)`,
    [ids, changed.map(([sourceId]) => sourceId), changed.map(([, digest]) => digest)],
  );
  await ctx.sql.query(`analyze stage_digests`);
  await ctx.sql.query(
    `insert into sync_run_items (run_id, org_id, entity, status, action, entity_id, source_id, label, before)
     select $1, $2, 'class', 'Synced', 'members', c.id, s.source_id, coalesce(c.name_override, c.name), jsonb_build_object('row', to_jsonb(c))
     from stage_digests s join classes c on c.id = s.class_id where c.members_digest is distinct from s.digest`,
    [ctx.runId, ctx.orgId],
  );
  await ctx.sql.query(
    `update classes c set members_digest = s.digest from stage_digests s where c.id = s.class_id and c.members_digest is distinct from s.digest`,
  );
  await ctx.sql.query(`drop table stage_digests`);
}

const ACCESS_RULE = accessRule("x");

/** Access rule (src/db/schema/roster.ts, accessRule) for these learners, after a sync changed their classes or year group. */
export async function recomputeAccess(ctx: { sql: BulkSql }, learnerIds: readonly string[]): Promise<void> {
  if (!learnerIds.length) return;
  await ctx.sql.query(
    `update learners x set has_access = (${ACCESS_RULE})
     where x.id = any($1::uuid[]) and x.has_access is distinct from (${ACCESS_RULE})`,
    [learnerIds],
  );
}
