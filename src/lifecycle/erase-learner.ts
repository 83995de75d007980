/**
 * Erasing one child on request (a parent asks, or the school does): the learner and everything
 * that refers to them (learner-data.ts) go in one transaction, and the audit log keeps one
 * record of it that names no one: which learner id, when, who, and how much was removed.
 *
 * A child still in the school's own system comes back as New at the next sync; the page that
 * asks for the erasure says so.
 */
import { bulkTransaction } from "../db/bulk.ts";
import type { Database } from "../db/client.ts";
import { isUuid } from "../db/queries/roster.ts";
import type { Logger } from "../lib/log.ts";
import { type DeletedLearnerData, deleteLearnerData, syncUnderWay } from "./learner-data.ts";
import { recordAudit } from "../db/queries/audit.ts";

export class EraseRefused extends Error {}
/** The learner is not one of the organization's (or the id is not an id). */
export class LearnerNotFound extends EraseRefused {
  constructor() {
    super("There is no such learner in this organization.");
  }
}

export type EraseActor = { kind: "user"; userId: string } | { kind: "operator" };

export async function eraseLearner(
  deps: { database: Database; logger: Logger },
  input: { orgId: string; learnerId: string; actor: EraseActor },
): Promise<DeletedLearnerData> {
  if (!isUuid(input.learnerId)) throw new LearnerNotFound();
  const erased = await bulkTransaction(deps.database, async (sql) => {
    const found = await sql.query(`select 1 from learners where org_id = $1 and id = $2 for update`, [input.orgId, input.learnerId]);
    if (!found.length) throw new LearnerNotFound();
    if (await syncUnderWay(sql, input.orgId)) throw new EraseRefused("A sync is running for this organization. Wait for it to finish, then erase the learner.");
    const counts = await deleteLearnerData(sql, input.orgId, [input.learnerId]);
    await recordAudit(sql.db, {
      orgId: input.orgId,
      actor: input.actor.kind,
      actorUserId: input.actor.kind === "user" ? input.actor.userId : null,
      action: "learner.erased",
      entity: "learner",
      entityId: input.learnerId,
      detail: counts,
    });
    return counts;
  });
  deps.logger.info("learner.erased", { orgId: input.orgId, learnerId: input.learnerId, enrolments: erased.enrolments, runItems: erased.runItemsCleared });
  return erased;
}
