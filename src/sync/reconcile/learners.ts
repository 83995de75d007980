/**
 * Learners: the review statuses (ARCHITECTURE.md, "Review statuses").
 *   linked + identical            -> Unchanged (nothing written)
 *   linked + different            -> Synced (update; a returning leaver is restored)
 *   unlinked + identical elsewhere-> Matched (link, then as Synced)
 *   unlinked + similar            -> May match (nothing until an admin decides)
 *   no counterpart                -> New (create, place, default journey; archive first with carryover)
 *   linked + absent from scope    -> Desynced (unlink, or with removal on, deactivate/remove)
 */
import { onSchoolDomain } from "../../roster/email-domains.ts";
import { desyncedItem, goneSourceIds, removalAction } from "./desync.ts";
import { NewLearnerItem, NewLearnerSource } from "./new-learner.ts";
import type { Problem } from "../../roster/snapshot.ts";
import { IdSet } from "../../lib/compact/id-set.ts";
import { LEARNER_FIELDS } from "../../roster/fields.ts";
import { gradePlacement } from "../policy/placement.ts";
import { displayName, learnerFieldsOf } from "./fields.ts";
import type { SchoolRows } from "./school-rows.ts";
import type { MatchRecord, MatchResult } from "../match/types.ts";
import type { CurrentLearner, ItemExplanation, LearnerFields, PlanItem, ReconcileInput } from "./types.ts";
import { emptyCounts, type StatusCounts } from "../../run-record.ts";

export interface LearnerOutcome {
  items: PlanItem<LearnerFields>[];
  fingerprintRefresh: { sourceId: string; fingerprint: string }[];
  counts: StatusCounts;
  /** Learner source ids that will have a row after apply (so they can be enrolled). */
  placed: IdSet;
  /** Flags on records that otherwise changed nothing (a refused address), shown as warnings on the run. */
  notices: Problem[];
}

const FIELD_TEMPLATE: LearnerFields = learnerFieldsOf({ sourceId: "", schoolSourceIds: [], givenName: "", familyName: "" });

export function reconcileLearners(input: ReconcileInput, schoolEmailDomains: ReadonlySet<string>, schools: SchoolRows): LearnerOutcome {
  const emailRule: EmailRule = { schoolDomains: schoolEmailDomains, confirmed: input.settings.confirmedEmails ?? null };
  const { scoped, state } = input;
  const store = scoped.store;
  const items: PlanItem<LearnerFields>[] = [];
  const fingerprintRefresh: { sourceId: string; fingerprint: string }[] = [];
  const counts = emptyCounts();
  const placed = new IdSet(input.scoped.store.people);
  // Source ids only: a first sync has a million unlinked learners, each unpacked from the store when its item is made.
  const unlinked: string[] = [];
  const notices: Problem[] = [];

  for (const sourceId of scoped.learners) {
    if (!state.learnerLinks.has(sourceId)) {
      unlinked.push(sourceId);
      continue;
    }
    placed.add(sourceId);
    if (store.learners.isUnchanged(sourceId)) {
      counts.Unchanged++;
      continue;
    }
    // Only a changed learner's link is looked at (links are built on demand from a compact table).
    const link = state.learnerLinks.get(sourceId)!;
    const record = store.learners.get(sourceId)!;
    const fingerprint = store.learners.fingerprintOf(sourceId)!;
    const current = state.linkedLearners.get(link.entityId);
    if (!current) throw new Error(`reconcile: the row of linked learner ${link.entityId} was not loaded`);
    const fields = withEmailRules(learnerFieldsOf(record), current, emailRule, sourceId);
    const changes = schools.changes(current, fields.values, FIELD_TEMPLATE);
    if (current.status === "active" && changes.length === 0) {
      counts.Unchanged++;
      fingerprintRefresh.push({ sourceId, fingerprint });
      for (const message of fields.flags ?? [])
        notices.push({ severity: "warning", entity: "learner", sourceId, field: "email", message: `${displayName(fields.values)}: ${message}` });
      continue;
    }
    counts.Synced++;
    items.push({
      status: "Synced",
      action: current.status === "active" ? "update" : "restore",
      sourceId,
      entityId: current.id,
      fields: fields.values,
      fingerprint,
      changes: current.status === "active" ? changes : [{ field: "status", before: current.status, after: "active" }, ...changes],
      label: displayName(fields.values),
      flags: fields.flags,
    });
  }

  const leaving = leavingLearners(input);
  matchUnlinked(input, unlinked, emailRule, items, counts, placed, schools, leaving);
  const relinked = relinks(items, leaving);
  desync(input, items, counts, new Set(relinked.map((item) => item.sourceId!)));
  items.push(...relinked);
  return { items, fingerprintRefresh, counts, placed, notices };
}

/** Linked learners whose records left the read, by row: a new record of the same child may claim one (a new MIS record). */
function leavingLearners(input: ReconcileInput): Map<string, { sourceId: string; learner: CurrentLearner }> {
  const { scoped, state, mode } = input;
  const leaving = new Map<string, { sourceId: string; learner: CurrentLearner }>();
  for (const sourceId of goneSourceIds({ mode, links: state.learnerLinks, inScope: scoped.learners, tombstones: scoped.store.tombstones, entity: "learner" })) {
    const link = state.learnerLinks.get(sourceId);
    const learner = link?.status === "active" ? state.linkedLearners.get(link.entityId) : undefined;
    if (learner) leaving.set(learner.id, { sourceId, learner });
  }
  return leaving;
}

/**
 * A leaving learner Matched by a new record is the same child under a new id (a new academic
 * year's MIS record, a temporary UPN made permanent): their old link is removed, not desynced,
 * so they keep their history and access; undo restores it.
 */
function relinks(items: readonly PlanItem<LearnerFields>[], leaving: ReadonlyMap<string, { sourceId: string }>): PlanItem<LearnerFields>[] {
  return items.flatMap((item) => {
    const old = item.status === "Matched" && item.entityId ? leaving.get(item.entityId) : undefined;
    if (!old) return [];
    return [
      { status: "Matched", action: "unlink", sourceId: old.sourceId, entityId: item.entityId, changes: [], label: `${item.label} (their earlier record)` },
    ];
  });
}

/**
 * Safety rule 4: a verified address is never removed or replaced by a sync; an address on a
 * domain that is not the school's may be a parent's or personal one, so it is not written
 * (the item carries it, flagged, for an admin to confirm).
 */
interface EmailRule {
  schoolDomains: ReadonlySet<string>;
  /** After the MIS user sync: the only addresses it may write, by pupil (none when "Sync pupil email addresses" was off). */
  confirmed: ReadonlyMap<string, string> | null;
}

function withEmailRules(
  values: LearnerFields,
  current: CurrentLearner | null,
  rule: EmailRule,
  sourceId: string,
): { values: LearnerFields; flags: string[] | undefined } {
  const flags: string[] = [];
  let email = values.email;
  if (current?.emailVerified && current.email && email !== current.email) {
    if (email) flags.push(`The school's system has a new address (${email}); the verified address was kept.`);
    email = current.email;
  } else if (rule.confirmed && email !== current?.email) {
    // The admin chose which addresses to add (the MIS user sync's emails step): an address not confirmed there is not written.
    if (email && rule.confirmed.get(sourceId) !== email) email = current?.email ?? null;
  } else if (email && rule.schoolDomains.size > 0 && !onSchoolDomain(email, rule.schoolDomains)) {
    flags.push(`Email ${email} is not on the school's domain: it may be a parent's or personal address, so it was not added.`);
    email = current?.email ?? null;
  }
  return { values: { ...values, email }, flags: flags.length ? flags : undefined };
}

/**
 * The fields the field list marks as matched, with the year group and the school the matcher
 * compares; the school by its row, so a learner of a school another feed names differently still agrees on it.
 */
function toMatchRecord(id: string, fields: LearnerFields, school: string | null, sourceId?: string): MatchRecord {
  const record: Record<string, unknown> = { id, sourceId, school: school ?? undefined, yearGroup: fields.yearGroupCode ?? undefined };
  for (const field of MATCHED_FIELDS) record[field] = fields[field] ?? undefined;
  return record as unknown as MatchRecord;
}

const MATCHED_FIELDS = LEARNER_FIELDS.flatMap((field) => ("matched" in field ? [field.name] : []));

const confirmedByIdentifier = (result: MatchResult | undefined) => result?.status === "Matched" && result.explanation?.tier === "exact";

function matchUnlinked(
  input: ReconcileInput,
  unlinked: readonly string[],
  emailRule: EmailRule,
  items: PlanItem<LearnerFields>[],
  counts: StatusCounts,
  placed: IdSet,
  schools: SchoolRows,
  leaving: ReadonlyMap<string, { learner: CurrentLearner }>,
): void {
  const { state, settings, decisions } = input;
  const candidates = new Map<string, CurrentLearner>();
  for (const learner of state.unlinkedLearners) candidates.set(learner.id, learner);
  if (unlinked.length) for (const { learner } of leaving.values()) candidates.set(learner.id, learner);
  if (settings.autoCarryover) for (const learner of state.archivedLearners) candidates.set(learner.id, learner);

  // An admin's "yes, that is the same child" wins over the score, once per existing learner.
  const claimed = new Set<string>();
  const forced = new Map<string, CurrentLearner>();
  for (const sourceId of unlinked) {
    const accepted = decisions.get(sourceId)?.find((decision) => decision.decision === "accepted");
    const existing = accepted && candidates.get(accepted.learnerId);
    if (existing && !claimed.has(existing.id)) {
      claimed.add(existing.id);
      forced.set(sourceId, existing);
    }
  }
  const store = input.scoped.store;
  const incoming = unlinked.filter((sourceId) => !forced.has(sourceId));
  const pool = [...candidates.values()].filter((learner) => !claimed.has(learner.id));
  // Nobody to match against (a first sync): every record is New without asking the matcher.
  const results =
    incoming.length && pool.length
      ? input.matcher(
          incoming.map((sourceId) => {
            const fields = learnerFieldsOf(store.learners.get(sourceId)!);
            return toMatchRecord(sourceId, fields, schools.of(fields.schoolSourceId), sourceId);
          }),
          pool.map((learner) => toMatchRecord(learner.id, learner, schools.ofCurrent(learner))),
        )
      : [];
  const resultFor = new Map<string, MatchResult>(results.map((result) => [result.incomingId, result]));

  const newLearnerValues = (sourceId: string) => {
    const fields = withEmailRules(learnerFieldsOf(store.learners.get(sourceId)!), null, emailRule, sourceId);
    return {
      values: fields.values,
      flags: fields.flags,
      label: displayName(fields.values),
      initial: { gradePlacement: gradePlacement(fields.values, settings.schoolYear, settings.country), journeyProductId: settings.defaultJourneyProductId },
    };
  };
  const newLearners = new NewLearnerSource(store, newLearnerValues);
  const newItem = (sourceId: string, explanation?: ItemExplanation) => new NewLearnerItem(sourceId, newLearners, explanation);

  for (const sourceId of unlinked) {
    const forcedMatch = forced.get(sourceId);
    const result: MatchResult | undefined = forcedMatch ? { incomingId: sourceId, status: "Matched", existingId: forcedMatch.id } : resultFor.get(sourceId);
    const candidate = result?.existingId ? candidates.get(result.existingId) : undefined;
    // A learner leaving the roster is claimed only on a confirmed identifier (their UPN, or a
    // former one) or an admin's answer, never on a likeness: a joiner who resembles a leaver is another child.
    const existing = candidate && leaving.has(candidate.id) && !forcedMatch && !confirmedByIdentifier(result) ? undefined : candidate;
    const rejected = existing && decisions.get(sourceId)?.some((decision) => decision.decision === "rejected" && decision.learnerId === existing.id);
    let status = !result || !existing || rejected ? "New" : result.status;
    let explanation: ItemExplanation | undefined = forcedMatch ? { confirmedByAdmin: true } : result?.explanation;
    if (
      status === "May match" &&
      input.trigger === "scheduled" &&
      settings.mayMatchPolicy === "auto_accept" &&
      (result?.probability ?? 0) >= settings.autoAcceptProbability
    ) {
      status = "Matched";
      explanation = { autoAccepted: true, probability: result?.probability, match: result?.explanation };
    }
    if (status === "New" || !existing) {
      counts.New++;
      placed.add(sourceId);
      items.push(newItem(sourceId, rejected ? { rejectedByAdmin: existing.id } : undefined));
      continue;
    }
    const record = store.learners.get(sourceId)!;
    const fingerprint = store.learners.fingerprintOf(sourceId);
    const fields = withEmailRules(learnerFieldsOf(record), existing, emailRule, sourceId);
    const fromArchive = existing.status !== "active";
    if (status === "May match") {
      counts["May match"]++;
      items.push({
        status: "May match",
        action: "review",
        sourceId,
        entityId: existing.id,
        fields: fields.values,
        fingerprint,
        changes: schools.changes(existing, fields.values, FIELD_TEMPLATE),
        explanation,
        label: displayName(fields.values),
        flags: fromArchive ? ["A returning learner from the archive."] : undefined,
      });
      continue;
    }
    counts.Matched++;
    placed.add(sourceId);
    const changes = schools.changes(existing, fields.values, FIELD_TEMPLATE);
    items.push({
      status: "Matched",
      action: fromArchive ? "restore" : "link",
      sourceId,
      entityId: existing.id,
      fields: fields.values,
      fingerprint,
      changes: fromArchive ? [{ field: "status", before: existing.status, after: "active" }, ...changes] : changes,
      explanation,
      label: displayName(fields.values),
      flags: [...(fields.flags ?? []), ...(fromArchive ? ["Returning learner: restored from the archive with their history."] : [])],
    });
  }
}

function desync(input: ReconcileInput, items: PlanItem<LearnerFields>[], counts: StatusCounts, relinked: ReadonlySet<string>): void {
  const { scoped, state, settings, mode } = input;
  const action = removalAction(settings);
  for (const sourceId of goneSourceIds({ mode, links: state.learnerLinks, inScope: scoped.learners, tombstones: scoped.store.tombstones, entity: "learner" })) {
    if (relinked.has(sourceId)) continue;
    const link = state.learnerLinks.get(sourceId);
    if (link?.status !== "active") continue;
    const current = state.linkedLearners.get(link.entityId);
    if (!current) throw new Error(`reconcile: the row of desynced learner ${link.entityId} was not loaded`);
    counts.Desynced++;
    items.push(desyncedItem(action, sourceId, link.entityId, displayName(current)));
  }
}
