/**
 * reconcile: a pure function from (scoped snapshot, current roster, archive, settings, review
 * decisions) to a plan (ARCHITECTURE.md, "Data flow"). No I/O: it imports no database or HTTP code.
 *
 * It runs in two steps so the runner loads only what is needed: planEntities decides every
 * learner, educator and class; classesNeedingMembers then names the classes whose current
 * members must be read; completePlan plans the memberships. `reconcile` runs both steps on
 * a current roster that already holds every class's members (test/sync/reconcile/pure.test.ts).
 */
import { schoolEmailDomains } from "../../roster/email-domains.ts";
import { reconcileClasses } from "./classes.ts";
import { reconcileEducators } from "./educators.ts";
import { reconcileLearners } from "./learners.ts";
import { classesNeedingMembers, type EntityOutcome, reconcileMemberships } from "./memberships.ts";
import { SchoolRows } from "./school-rows.ts";
import { reconcileAcademicSessions, reconcileSchools } from "./schools.ts";
import type { StatusCounts } from "../../run-record.ts";
import type { Plan, ReconcileInput } from "./types.ts";

export { classesNeedingMembers };
export type { EntityOutcome };

export interface PlannedEntities extends EntityOutcome {
  partial: Omit<Plan, "enrolments" | "classEducators" | "classDigests" | "counts"> & {
    counts: { learners: StatusCounts; educators: StatusCounts; classes: StatusCounts };
  };
}

export function planEntities(input: ReconcileInput): PlannedEntities {
  const schools = reconcileSchools(input);
  const schoolRows = new SchoolRows(input.state.schoolLinks, schools);
  const learners = reconcileLearners(input, schoolDomainsOf(input), schoolRows);
  const educators = reconcileEducators(input, schoolRows);
  const classes = reconcileClasses(input, schoolRows);
  return {
    learners: { items: learners.items, placed: learners.placed },
    educators: { items: educators.items, placed: educators.placed },
    classes: { items: classes.items },
    partial: {
      mode: input.mode,
      schools,
      academicSessions: reconcileAcademicSessions(input, schoolRows),
      learners: learners.items,
      educators: educators.items,
      classes: classes.items,
      learnerFingerprintRefresh: learners.fingerprintRefresh,
      counts: { learners: learners.counts, educators: educators.counts, classes: classes.counts },
      problems: [...input.scoped.store.problems, ...learners.notices],
    },
  };
}

export function completePlan(input: ReconcileInput, entities: PlannedEntities): Plan {
  const memberships = reconcileMemberships(input, entities);
  return {
    ...entities.partial,
    enrolments: memberships.enrolments,
    classEducators: memberships.classEducators,
    classDigests: memberships.classDigests,
    counts: { ...entities.partial.counts, enrolments: memberships.counts },
  };
}

export function reconcile(input: ReconcileInput): Plan {
  return completePlan(input, planEntities(input));
}

/** The school's own email domains, from its educators' addresses (src/roster/email-domains.ts). */
function schoolDomainsOf(input: ReconcileInput): Set<string> {
  const addresses: string[] = [];
  for (const educator of input.scoped.store.educators.values()) if (educator.email) addresses.push(educator.email);
  return schoolEmailDomains(addresses);
}
