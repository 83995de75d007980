/**
 * The OneRoster files this reader uses, with their columns (oneroster.md 1.6) and the 1.0
 * names read as their 1.1/1.2 equivalents. Gradebook and resource files are accepted and
 * ignored.
 */
import type { TableSpec } from "./csv.ts";

const COMMON = ["sourcedId", "status", "dateLastModified"] as const;

export const TABLES = {
  orgs: { columns: [...COMMON, "name", "type", "identifier", "parentSourcedId"] },
  academicSessions: { columns: [...COMMON, "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"] },
  courses: {
    columns: [...COMMON, "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"],
    aliases: { schoolYearId: "schoolYearSourcedId", grade: "grades" },
  },
  classes: {
    columns: [
      ...COMMON,
      "title",
      "grades",
      "courseSourcedId",
      "classCode",
      "classType",
      "location",
      "schoolSourcedId",
      "termSourcedIds",
      "subjects",
      "subjectCodes",
      "periods",
    ],
    aliases: { grade: "grades", termSourcedId: "termSourcedIds" },
  },
  users: {
    columns: [
      ...COMMON,
      "enabledUser",
      "orgSourcedIds",
      "role",
      "username",
      "userIds",
      "givenName",
      "familyName",
      "middleName",
      "identifier",
      "email",
      "sms",
      "phone",
      "agentSourcedIds",
      "grades",
      "password",
      "userMasterIdentifier",
      "resourceSourcedIds",
      "preferredGivenName",
      "preferredMiddleName",
      "preferredFamilyName",
      "primaryOrgSourcedId",
      "pronouns",
    ],
    aliases: { userId: "userIds", agents: "agentSourcedIds", grade: "grades" },
  },
  roles: { columns: [...COMMON, "userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"] },
  enrollments: { columns: [...COMMON, "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate"] },
  demographics: {
    columns: [
      ...COMMON,
      "birthDate",
      "sex",
      "americanIndianOrAlaskaNative",
      "asian",
      "blackOrAfricanAmerican",
      "nativeHawaiianOrOtherPacificIslander",
      "white",
      "demographicRaceTwoOrMoreRaces",
      "hispanicOrLatinoEthnicity",
      "countryOfBirthCode",
      "stateOfBirthAbbreviation",
      "cityOfBirth",
      "publicSchoolResidenceStatus",
    ],
    // 1.0 keyed demographics by userSourcedId and spelled birthdate in lower case.
    aliases: { userSourcedId: "sourcedId", birthdate: "birthDate" },
  },
} satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

/** Every data file a 1.1 or 1.2 manifest may list. */
export const KNOWN_FILES = [
  "academicSessions",
  "categories",
  "classes",
  "classResources",
  "courses",
  "courseResources",
  "demographics",
  "enrollments",
  "lineItems",
  "orgs",
  "resources",
  "results",
  "users",
  "lineItemLearningObjectiveIds",
  "lineItemScoreScales",
  "resultLearningObjectiveIds",
  "resultScoreScales",
  "roles",
  "scoreScales",
  "userProfiles",
  "userResources",
] as const;

/** Without these a bulk set is not a roster: reading on would desync everyone. */
export const REQUIRED_FOR_BULK: TableName[] = ["orgs", "users", "classes", "enrollments"];

/**
 * The columns each table needs (oneroster.md 1.6), with what follows when a file has none:
 * `drops` when records are dropped for it (an error). The sourcedId column, which every
 * table needs, is checked apart. `versions` limits a column to the versions that have it.
 */
export interface Requirement {
  columns: readonly string[];
  versions?: readonly ("1.0" | "1.1" | "1.2")[];
  drops: boolean;
  consequence: string;
  /** A column OneRoster leaves optional, but without which the roster lacks something. */
  optional?: true;
}

const EVERY_USER_DROPPED = "every user was dropped, and their enrollments with them";

export const REQUIRED: Partial<Record<TableName, readonly Requirement[]>> = {
  orgs: [
    { columns: ["name"], drops: false, consequence: "each org's sourcedId was used as its name" },
    { columns: ["type"], drops: false, consequence: "no org is known to be a school, so orgs were read as schools only where classes and users refer to them" },
  ],
  academicSessions: [
    { columns: ["title"], drops: false, consequence: "each session's sourcedId was used as its title" },
    { columns: ["type"], drops: false, consequence: "every session was read as a term" },
    { columns: ["startDate", "endDate"], drops: false, consequence: "sessions have no start or end dates" },
    { columns: ["schoolYear"], versions: ["1.1", "1.2"], drops: false, consequence: "sessions have no school year" },
  ],
  courses: [{ columns: ["title"], drops: false, consequence: "classes have no course names" }],
  classes: [
    { columns: ["title"], drops: true, consequence: "every class was dropped, and its enrollments with it" },
    { columns: ["schoolSourcedId"], drops: true, consequence: "no class has a school, so every class was dropped, and its enrollments with it" },
    { columns: ["classType"], drops: false, consequence: "every class was read as a subject class (none as a homeroom)" },
    { columns: ["termSourcedIds"], drops: false, consequence: "classes have no terms" },
    { columns: ["courseSourcedId"], drops: false, consequence: "classes have no course names" },
  ],
  users: [
    { columns: ["givenName", "familyName"], drops: true, consequence: EVERY_USER_DROPPED },
    { columns: ["role"], versions: ["1.0", "1.1"], drops: true, consequence: `no user is known to be a student or a teacher, so ${EVERY_USER_DROPPED}` },
    { columns: ["orgSourcedIds"], versions: ["1.0", "1.1"], drops: true, consequence: `no user has a school, so ${EVERY_USER_DROPPED}` },
    { columns: ["enabledUser"], versions: ["1.1", "1.2"], drops: false, consequence: "every user was read as enabled" },
    // Not required by OneRoster, but without grades no learner has a year group.
    { columns: ["grades"], drops: false, optional: true, consequence: "learners will have no year group" },
  ],
  roles: [
    { columns: ["userSourcedId", "role"], drops: true, consequence: `every role was dropped, so ${EVERY_USER_DROPPED}` },
    { columns: ["orgSourcedId"], drops: true, consequence: `no user has a school, so ${EVERY_USER_DROPPED}` },
    { columns: ["roleType"], drops: false, consequence: "no role is known to be a user's primary one" },
  ],
  enrollments: [
    { columns: ["classSourcedId", "userSourcedId"], drops: true, consequence: "every enrollment was dropped" },
    { columns: ["role"], drops: false, consequence: "each enrollment was read with its user's own role" },
  ],
};

/** Columns only a 1.0 file has, and columns only later versions have: a set without a manifest is told apart by them. */
export const VERSION_COLUMNS: Record<"1.0" | "1.1", Partial<Record<TableName, readonly string[]>>> = {
  "1.0": { users: ["userId", "agents"], classes: ["grade", "termSourcedId"], courses: ["schoolYearId", "grade"], demographics: ["userSourcedId", "birthdate"] },
  "1.1": {
    users: ["enabledUser", "userIds", "agentSourcedIds", "grades", "middleName", "password"],
    classes: ["grades", "termSourcedIds", "subjectCodes", "periods"],
    courses: ["schoolYearSourcedId", "grades", "subjectCodes"],
    academicSessions: ["schoolYear"],
    enrollments: ["beginDate", "endDate"],
    demographics: ["sourcedId", "birthDate"],
  },
};
