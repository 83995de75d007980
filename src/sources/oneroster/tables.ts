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
    columns: [...COMMON, "title", "grades", "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"],
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
