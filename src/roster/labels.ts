/**
 * The words an admin reads for every code Rollcall keeps: grades, fields, statuses, kinds,
 * triggers. Pages and emails take their words from here, never from the stored code, so a
 * new code shows up as a missing entry in one table (test/roster/labels.test.ts renders every
 * page of the flow and looks for raw codes).
 */
import type { GradeCode } from "./snapshot.ts";

/** Which words a page uses for grades and people: a GB organization speaks of years and students. */
export type Speech = "us" | "gb";

export const speechOf = (country: string | null | undefined): Speech => (country === "GB" ? "gb" : "us");

/** What a page calls one of the children it lists, and several. */
export const learnerWords = (speech: Speech = "us") => (speech === "gb" ? { one: "student", many: "students" } : { one: "learner", many: "learners" });

const NAMED_GRADES_US: Partial<Record<GradeCode, string>> = {
  InfantToddler: "Infant / toddler",
  Preschool: "Preschool",
  PreKindergarten: "Pre-kindergarten",
  TransitionalKindergarten: "Transitional kindergarten",
  Kindergarten: "Kindergarten",
  PostGraduate: "Post-graduate",
  Ungraded: "Ungraded",
  Other: "Other grade",
};

const NAMED_GRADES_GB: Partial<Record<GradeCode, string>> = {
  ...NAMED_GRADES_US,
  PreKindergarten: "Nursery",
  Kindergarten: "Reception",
  Other: "Other year group",
};

/** "Grade 5", "Kindergarten"; for a GB organization "Year 5", "Reception". Unknown codes say so. */
export function gradeWords(code: string | null | undefined, speech: Speech = "us"): string {
  if (code === null || code === undefined || code === "") return "No grade";
  const named = (speech === "gb" ? NAMED_GRADES_GB : NAMED_GRADES_US)[code as GradeCode];
  if (named) return named;
  const number = /^\d+$/.test(code) ? Number(code) : Number.NaN;
  if (number >= 1 && number <= 13) return speech === "gb" ? `Year ${number}` : `Grade ${number}`;
  return "Unrecognised grade";
}

/**
 * A year group as the school writes it, with the normalised grade beside it where the two
 * differ ("Y5 (Year 5)"), or the grade alone.
 */
export function yearGroupWords(code: string | null | undefined, label: string | null | undefined, speech: Speech = "us"): string {
  const words = gradeWords(code, speech);
  if (!label || label === words || label === code) return words;
  return `${label} (${words})`;
}

/** Field names of learners, educators, classes and schools as the pages say them. */
export const FIELD_WORDS: Record<string, string> = {
  givenName: "First name",
  familyName: "Last name",
  middleName: "Middle name",
  preferredGivenName: "Preferred first name",
  preferredFamilyName: "Preferred last name",
  dateOfBirth: "Date of birth",
  gender: "Gender",
  yearGroupCode: "Grade",
  yearGroupLabel: "Grade as the school writes it",
  email: "Email",
  username: "Username",
  upn: "UPN",
  formerUpns: "Former UPNs",
  stateId: "State ID",
  studentNumber: "Student number",
  staffNumber: "Staff number",
  title: "Title",
  demographics: "Demographics",
  enabledInSource: "Switched on in the school's system",
  schoolSourceId: "School",
  academicSessionSourceId: "Term",
  kind: "Kind of class",
  name: "Name",
  nameOverride: "Name given in Rollcall",
  subject: "Subject",
  courseName: "Course",
  gradeCodes: "Grades",
  status: "Status",
  journeyProductId: "Educational journey",
  accessGranted: "Access to products",
  members: "Class members",
  classes: "Classes",
};

/** Where a UK school says it otherwise. */
const GB_FIELD_WORDS: Record<string, string> = {
  yearGroupCode: "Year group",
  yearGroupLabel: "Year group as the school writes it",
};

export const DEMOGRAPHIC_WORDS: Record<string, string> = {
  ethnicity: "Ethnicity",
  hispanicOrLatino: "Hispanic or Latino",
  englishLanguageLearner: "English language learner",
  specialEducation: "Special education",
  freeSchoolMeals: "Free school meals",
  homeLanguage: "Home language",
};

export const LEARNER_STATUS_WORDS: Record<string, string> = {
  active: "Active",
  inactive: "Deactivated",
  removed: "Removed",
  archived: "Archived (a past school year)",
};

export const GENDER_WORDS: Record<string, string> = { female: "Female", male: "Male", other: "Other", unknown: "Not given" };

export const CLASS_KIND_WORDS: Record<string, string> = { registration_group: "Registration group or homeroom", subject_class: "Subject class" };

/** What a count counts, in a run's tables and in history. */
export const ENTITY_WORDS: Record<string, string> = { learners: "Learners", educators: "Educators", classes: "Classes", enrolments: "Class places" };

export const RUN_STATUS_WORDS: Record<string, string> = {
  fetching: "Reading the roster",
  planned: "Preview ready",
  held: "Waiting for approval",
  applying: "Saving changes",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const TRIGGER_WORDS: Record<string, string> = {
  scheduled: "Scheduled",
  sync_now: "Sync Now",
  wizard: "MIS user sync",
  review: "Your review answers",
  cli: "Operator",
  undo: "Undo",
};

/** Why a run read the whole roster (src/sync/policy/read-kind.ts), as the run page says it. */
const FULL_READ_WHY: Record<string, string> = {
  first: "this was the first sync from your school's system",
  asked: "a sync started by hand always reads everything",
  due: "a full read was due (Roster Sync Settings says how often)",
  cursor_old: "the last sync was too long ago to read only the changes",
  after_failure: "the sync before it did not finish",
  no_feed: "your school's system sends the whole roster each time",
};

/** "Read only what changed since the last sync." or "Read the whole roster, because ...". Nothing for runs from before reads were recorded. */
export function readWords(mode: string | null, reason: string | null): string | null {
  if (mode === "delta") return "Read only what changed since the last sync.";
  if (mode !== "full") return null;
  const why = reason ? FULL_READ_WHY[reason] : undefined;
  return why ? `Read the whole roster, because ${why}.` : "Read the whole roster.";
}

/** The history table's short form. */
export const readKindWords = (mode: string | null) => (mode === "delta" ? "Changes only" : mode === "full" ? "Whole roster" : "");

export const ACTION_WORDS: Record<string, string> = {
  create: "Added",
  update: "Updated",
  link: "Linked to an existing learner",
  restore: "Restored",
  unlink: "No longer synced (kept)",
  deactivate: "Deactivated",
  remove: "Removed",
  review: "Waits for your review",
  members: "Class members changed",
};

/** Looks a code up in a table; a code the table lacks reads as "Other", never as itself. */
export const wordsFor = (table: Record<string, string>, code: string | null | undefined): string =>
  code === null || code === undefined || code === "" ? "—" : (table[code] ?? "Other");

/** How to say a field's value: names the pages need (schools) come from the caller. */
export interface ValueContext {
  speech?: Speech | undefined;
  schoolName?: ((sourceId: string) => string | undefined) | undefined;
}

function valueWords(field: string, value: unknown, context: ValueContext): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.length ? value.map((item) => valueWords(field, item, context)).join(", ") : "—";
  const text = String(value);
  switch (field) {
    case "yearGroupCode":
    case "gradeCodes":
      return gradeWords(text, context.speech);
    case "gender":
      return wordsFor(GENDER_WORDS, text);
    case "status":
      return wordsFor(LEARNER_STATUS_WORDS, text);
    case "kind":
      return wordsFor(CLASS_KIND_WORDS, text);
    case "schoolSourceId":
      return context.schoolName?.(text) ?? "a school not in this sync";
    default:
      return text;
  }
}

export interface ChangeInWords {
  field: string;
  before: string;
  after: string;
}

/** One field's change as lines a page shows; demographics are compared field by field. */
export function changeInWords(change: { field: string; before: unknown; after: unknown }, context: ValueContext = {}): ChangeInWords[] {
  if (change.field === "demographics") {
    const before = (change.before ?? {}) as Record<string, unknown>;
    const after = (change.after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
      .map((key) => ({
        field: DEMOGRAPHIC_WORDS[key] ?? "Other demographic",
        before: valueWords(key, before[key], context),
        after: valueWords(key, after[key], context),
      }));
  }
  return [
    {
      field: (context.speech === "gb" ? GB_FIELD_WORDS[change.field] : undefined) ?? FIELD_WORDS[change.field] ?? "Other field",
      before: valueWords(change.field, change.before, context),
      after: valueWords(change.field, change.after, context),
    },
  ];
}

/**
 * A record's changes as lines a page shows. What reads the same in words is no difference
 * ("2" and "02" are both Grade 2; one school under two systems' ids is one school), and the
 * grade as the school writes it is only news when the grade itself changed.
 */
export function changesInWords(changes: readonly { field: string; before: unknown; after: unknown }[], context: ValueContext = {}): ChangeInWords[] {
  const grade = changes.find((change) => change.field === "yearGroupCode");
  const gradeLine = grade ? changeInWords(grade, context)[0] : undefined;
  // The school's own words for the grade only when the grade changed and they say something the grade's words do not.
  const saysMore = (change: { field: string; before: unknown; after: unknown }) => {
    if (change.field !== "yearGroupLabel") return true;
    const line = changeInWords(change, context)[0];
    return gradeLine !== undefined && (line?.before !== gradeLine.before || line?.after !== gradeLine.after);
  };
  return changes
    .filter(saysMore)
    .flatMap((change) => changeInWords(change, context))
    .filter((line) => line.before !== line.after);
}
