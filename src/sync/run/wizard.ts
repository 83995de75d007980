/**
 * The MIS user sync (a UK school's promotion at the start of a year, ARCHITECTURE.md,
 * "Vocabulary": scope). The wizard reads what the school's system holds for the new year, the
 * admin chooses registration groups, subject classes and pupils (saved as the organization's
 * selection scope), previews, and then saves and syncs: the run is the wizard's own (never
 * blocked by the Sync Now rule, and approved, since the admin has just reviewed it), and
 * afterwards last year's classes end: archived with their memberships, kept for history. A
 * leaver, in no class of the new year, goes to the archive with them and loses access.
 */
import type { Connection } from "../../connections/details.ts";
import { isFreeMail, onSchoolDomain, schoolEmailDomains } from "../../roster/email-domains.ts";
import type {
  Problem,
  SnapshotAcademicSession,
  SnapshotClass,
  SnapshotEducator,
  SnapshotEnrolment,
  SnapshotLearner,
  SnapshotSchool,
  SnapshotSink,
  Tombstone,
} from "../../roster/snapshot.ts";
import { executeRun, type RunOutcome, startRun, type SyncDeps } from "./lifecycle.ts";
import { schoolYearOf } from "../policy/placement.ts";
import { type ArchiveResult, archiveSchoolYear } from "./year-end.ts";

export interface ChoiceClass {
  sourceId: string;
  name: string;
  yearGroupCode: string | null;
  yearGroupLabel: string | null;
  pupils: number;
}

export interface ChoicePupil {
  sourceId: string;
  name: string;
  yearGroupCode: string | null;
  yearGroupLabel: string | null;
  /** The address the school's system has for the pupil, if any. */
  email: string | null;
  classSourceIds: string[];
}

/** What the school's system offers for the year: the wizard's lists. */
export interface WizardChoices {
  registrationGroups: ChoiceClass[];
  subjectClasses: ChoiceClass[];
  pupils: ChoicePupil[];
  /** The school's own email domains, from its staff's addresses. */
  schoolDomains: string[];
}

/** Keeps only what the wizard lists: classes, pupils and who is in which class. */
class ChoiceSink implements SnapshotSink {
  readonly classes: SnapshotClass[] = [];
  readonly learners: SnapshotLearner[] = [];
  readonly members = new Map<string, number>();
  readonly classesOf = new Map<string, string[]>();
  readonly staffAddresses: string[] = [];
  school(_record: SnapshotSchool) {}
  academicSession(_record: SnapshotAcademicSession) {}
  educator(record: SnapshotEducator) {
    if (record.email) this.staffAddresses.push(record.email);
  }
  tombstone(_record: Tombstone) {}
  problem(_problem: Problem) {}
  class(record: SnapshotClass) {
    this.classes.push(record);
  }
  learner(record: SnapshotLearner) {
    this.learners.push(record);
  }
  enrolment(record: SnapshotEnrolment) {
    if (record.role !== "learner") return;
    this.members.set(record.classSourceId, (this.members.get(record.classSourceId) ?? 0) + 1);
    this.classesOf.set(record.personSourceId, [...(this.classesOf.get(record.personSourceId) ?? []), record.classSourceId]);
  }
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, "en", { numeric: true });

/** Reads the school's system (the whole read, as a sync makes it) and lists what can be chosen. */
export async function readWizardChoices(deps: SyncDeps, connection: Connection, signal?: AbortSignal): Promise<WizardChoices> {
  const sink = new ChoiceSink();
  await deps.readSource(connection, sink, { signal });
  const classOf = (record: SnapshotClass): ChoiceClass => ({
    sourceId: record.sourceId,
    name: record.name,
    yearGroupCode: record.yearGroups[0]?.code ?? null,
    yearGroupLabel: record.yearGroups[0]?.label ?? null,
    pupils: sink.members.get(record.sourceId) ?? 0,
  });
  return {
    registrationGroups: sink.classes
      .filter((record) => record.kind === "registration_group")
      .map(classOf)
      .sort(byName),
    subjectClasses: sink.classes
      .filter((record) => record.kind === "subject_class")
      .map(classOf)
      .sort(byName),
    pupils: sink.learners
      .map((record) => ({
        sourceId: record.sourceId,
        name: `${record.preferredGivenName ?? record.givenName} ${record.familyName}`,
        yearGroupCode: record.yearGroup?.code ?? null,
        yearGroupLabel: record.yearGroup?.label ?? null,
        email: record.email ?? null,
        classSourceIds: sink.classesOf.get(record.sourceId) ?? [],
      }))
      .sort(byName),
    schoolDomains: [...schoolEmailDomains(sink.staffAddresses)],
  };
}

export interface PromotionOutcome {
  run: RunOutcome;
  /** Last year's classes and leavers, archived once the new year is synced; null when the run did not succeed. */
  archived: (ArchiveResult & { schoolYear: number }) | null;
}

/**
 * Saves and syncs the chosen pupils, then ends last year: the classes the new year's read left
 * unlinked close, with the pupils who are in none of the new year's.
 */
export async function saveAndSyncPupils(deps: SyncDeps, input: { orgId: string; userId: string }): Promise<PromotionOutcome> {
  const runId = await startRun(deps, { orgId: input.orgId, trigger: "wizard", startedBy: input.userId });
  const run = await executeRun(deps, runId, { approved: true });
  if (run.status !== "succeeded") return { run, archived: null };
  const schoolYear = schoolYearOf(deps.now?.() ?? new Date()) - 1;
  const archived = await archiveSchoolYear(deps.database, { orgId: input.orgId, schoolYear, userId: input.userId, closing: "left roster" });
  return { run, archived: { ...archived, schoolYear } };
}

/** What the wizard's choice so far is: classes, and which pupils beyond their members. */
export interface WizardSelection {
  registrationGroups: string[];
  subjectClasses: string[];
  pupils: "all" | "groups" | "years";
  years: string[];
}

/** The pupils a choice takes in: all, those of the chosen years, or the members of the chosen classes. */
export function pupilsChosen(choices: WizardChoices, chosen: WizardSelection): ChoicePupil[] {
  if (chosen.pupils === "all") return choices.pupils;
  if (chosen.pupils === "years") {
    const years = new Set(chosen.years);
    return choices.pupils.filter((pupil) => pupil.yearGroupCode !== null && years.has(pupil.yearGroupCode));
  }
  const classes = new Set([...chosen.registrationGroups, ...chosen.subjectClasses]);
  return choices.pupils.filter((pupil) => pupil.classSourceIds.some((id) => classes.has(id)));
}

/** Why an address may not be the pupil's own, in words; null when it looks like the school's. */
export function addressConcern(email: string, schoolDomains: ReadonlySet<string>): string | null {
  if (isFreeMail(email)) return "A free-mail address: it may be a parent's or personal one.";
  if (schoolDomains.size && !onSchoolDomain(email, schoolDomains)) return "Not on the school's usual domain: it may be a parent's or personal one.";
  return null;
}
