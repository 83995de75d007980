/**
 * What an admin (or a class's teacher) changes by hand: a class's name, a learner's journey and
 * access. These are Rollcall's own fields, never ones a source owns, so a sync does not undo
 * them (a class name only while the organization keeps overrides). Each change and its audit
 * entry are written in one transaction.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { auditLog, classEducators, classes, educators, learners, staffUsers } from "../schema/index.ts";
import { accessRule } from "../schema/roster.ts";
import { recordAudit } from "./audit.ts";

interface Actor {
  orgId: string;
  userId: string;
}

/** Whether this staff member teaches the class: an educator of the class with the staff member's email. */
export async function teachesClass(db: Db, actor: Actor, classId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: classEducators.classId })
    .from(classEducators)
    .innerJoin(educators, eq(educators.id, classEducators.educatorId))
    .innerJoin(staffUsers, sql`lower(${staffUsers.email}) = lower(${educators.email})`)
    .where(and(eq(classEducators.orgId, actor.orgId), eq(classEducators.classId, classId), eq(staffUsers.id, actor.userId)))
    .limit(1);
  return Boolean(row);
}

/** Gives the class a name of Rollcall's own, or (null) goes back to the source's name. */
export async function renameClass(db: Db, actor: Actor, classId: string, name: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ nameOverride: classes.nameOverride })
      .from(classes)
      .where(and(eq(classes.orgId, actor.orgId), eq(classes.id, classId)));
    await tx
      .update(classes)
      .set({ nameOverride: name, updatedAt: new Date() })
      .where(and(eq(classes.orgId, actor.orgId), eq(classes.id, classId)));
    await recordAudit(tx, {
      orgId: actor.orgId,
      actor: "user",
      actorUserId: actor.userId,
      action: "class.renamed",
      entity: "class",
      entityId: classId,
      detail: { before: before?.nameOverride ?? null, after: name },
    });
  });
}

export interface JourneyChange {
  /** The audit entry that records the change: what its undo names. */
  entryId: number | null;
  /** Each changed learner's journey before. */
  before: Map<string, string | null>;
}

/** Sets the journeys of these learners of the organization (those already on it are left alone). */
export async function setJourneys(db: Db, actor: Actor, learnerIds: readonly string[], productId: string | null): Promise<JourneyChange> {
  if (!learnerIds.length) return { entryId: null, before: new Map() };
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: learners.id, journey: learners.journeyProductId })
      .from(learners)
      .where(and(eq(learners.orgId, actor.orgId), inArray(learners.id, [...learnerIds]), sql`${learners.journeyProductId} is distinct from ${productId}`));
    const before = new Map(rows.map((row) => [row.id, row.journey]));
    if (!before.size) return { entryId: null, before };
    await tx
      .update(learners)
      .set({ journeyProductId: productId, updatedAt: new Date() })
      .where(and(eq(learners.orgId, actor.orgId), inArray(learners.id, [...before.keys()])));
    const entryId = await recordAudit(tx, {
      orgId: actor.orgId,
      actor: "user",
      actorUserId: actor.userId,
      action: JOURNEY_CHANGED,
      entity: "learner",
      entityId: before.size === 1 ? [...before.keys()][0]! : null,
      detail: { after: productId, before: Object.fromEntries(before) },
    });
    return { entryId, before };
  });
}

const JOURNEY_CHANGED = "learner.journey_changed";
const JOURNEY_CHANGE_UNDONE = "learner.journey_change_undone";

/**
 * Puts back the journeys one change set, for the learners still on the journey it gave them
 * (a later change is never overwritten). Once only: returns null when there is nothing to undo.
 */
export async function undoJourneyChange(db: Db, actor: Actor, entryId: number): Promise<number | null> {
  return db.transaction(async (tx) => {
    const [entry] = await tx
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, actor.orgId), eq(auditLog.id, entryId), eq(auditLog.action, JOURNEY_CHANGED)));
    const [undone] = await tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, actor.orgId), eq(auditLog.action, JOURNEY_CHANGE_UNDONE), sql`(${auditLog.detail}->>'undoes')::bigint = ${entryId}`));
    if (!entry || undone) return null;
    const { after, before } = entry.detail as { after: string | null; before: Record<string, string | null> };
    const byJourney = new Map<string | null, string[]>();
    for (const [learnerId, journey] of Object.entries(before)) byJourney.set(journey, [...(byJourney.get(journey) ?? []), learnerId]);
    let restored = 0;
    for (const [journey, ids] of byJourney) {
      const rows = await tx
        .update(learners)
        .set({ journeyProductId: journey, updatedAt: new Date() })
        .where(and(eq(learners.orgId, actor.orgId), inArray(learners.id, ids), sql`${learners.journeyProductId} is not distinct from ${after}`))
        .returning({ id: learners.id });
      restored += rows.length;
    }
    await recordAudit(tx, {
      orgId: actor.orgId,
      actor: "user",
      actorUserId: actor.userId,
      action: JOURNEY_CHANGE_UNDONE,
      detail: { undoes: entryId, restored },
    });
    return restored;
  });
}

/**
 * Grants or takes away access. Granting lifts an admin's removal; whether the learner then has
 * access is the access rule's answer (a class, a year group, switched on in the source).
 * Returns how many learners' access changed.
 */
export async function setAccess(db: Db, actor: Actor, learnerIds: readonly string[] | "all", grant: boolean): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = learnerIds === "all" ? sql`true` : inArray(learners.id, [...learnerIds]);
    await tx
      .update(learners)
      .set({ accessRemoved: !grant })
      .where(and(eq(learners.orgId, actor.orgId), ids));
    const changed = await tx
      .update(learners)
      .set({ hasAccess: sql.raw(`(${accessRule("learners")})`), updatedAt: new Date() })
      .where(and(eq(learners.orgId, actor.orgId), ids, sql.raw(`learners.has_access is distinct from (${accessRule("learners")})`)))
      .returning({ id: learners.id });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actor: "user",
      actorUserId: actor.userId,
      action: grant ? "learner.access_granted" : "learner.access_removed",
      entity: "learner",
      entityId: learnerIds !== "all" && learnerIds.length === 1 ? learnerIds[0]! : null,
      detail: { learners: learnerIds === "all" ? "all" : learnerIds.length, changed: changed.length },
    });
    return changed.length;
  });
}

/** Active learners who belong to a class and a year group, are switched on, and still have no access: what "Grant access" would give it to. */
export async function learnersWaitingForAccess(db: Db, orgId: string): Promise<number> {
  const rule = accessRule("learners", { ignoreRemoval: true });
  const [row] = await db
    .select({ value: sql<number>`count(*)::int` })
    .from(learners)
    .where(and(eq(learners.orgId, orgId), eq(learners.hasAccess, false), sql.raw(`(${rule})`)));
  return row?.value ?? 0;
}
