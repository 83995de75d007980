/**
 * The people tables: demographics (read first, so each learner is emitted once, whole),
 * roles (1.2) and users. Only students and teachers are rostered; a user's kind decides how
 * their enrollments are read.
 */
import { cleanName, normaliseEmail } from "../../roster/normalise/index.ts";
import type { Demographics, Gender } from "../../roster/snapshot.ts";
import { Kind, kindOfRole, type ReadContext } from "./context.ts";
import type { Row } from "./csv.ts";
import type { Organisation } from "./organisation.ts";
import type { Problems } from "./problems.ts";
import { booleanOf, enumOf, gradesOf, listOf, roleOf } from "./values.ts";

export interface UserFacts {
  /** As written, with its line in demographics.csv: read when its learner is. */
  birthDate?: { text: string; line: number } | undefined;
  gender?: Gender | undefined;
  demographics?: Demographics | undefined;
}

interface RoleFacts {
  names: Set<string>;
  kinds: Set<Kind>;
  primaryKind?: Kind | undefined;
  orgs: string[];
}

/** Demographics by user id, read before everything else (see read.ts). */
export async function readDemographics(ctx: ReadContext): Promise<Map<string, UserFacts>> {
  const { read, problems, dates } = ctx;
  const facts = new Map<string, UserFacts>();
  await read("demographics", (row, status) => {
    const id = row.get("sourcedId");
    if (!id) return problems.add({ severity: "error", file: row.file, line: row.line, field: "sourcedId", message: "has no user id; the row was dropped" });
    if (status === "deleted") return;
    const sex = enumOf(row, "sex", ["female", "male", "other", "unspecified"], problems);
    const races = (
      [
        ["americanIndianOrAlaskaNative", "American Indian or Alaska Native"],
        ["asian", "Asian"],
        ["blackOrAfricanAmerican", "Black or African American"],
        ["nativeHawaiianOrOtherPacificIslander", "Native Hawaiian or Other Pacific Islander"],
        ["white", "White"],
        ["demographicRaceTwoOrMoreRaces", "Two or more races"],
      ] as const
    ).filter(([field]) => booleanOf(row, field, problems));
    const hispanic = booleanOf(row, "hispanicOrLatinoEthnicity", problems);
    // The birth date is read when its learner is, once the set's date shape is known.
    const birthDate = row.get("birthDate");
    dates.observe(birthDate);
    facts.set(id, {
      birthDate: birthDate ? { text: birthDate, line: row.line } : undefined,
      gender: sex === "female" || sex === "male" ? sex : sex === "other" ? "other" : sex === "unspecified" ? "unknown" : undefined,
      demographics: races.length || hispanic !== undefined ? { ethnicity: races.map(([, label]) => label), hispanicOrLatino: hispanic } : undefined,
    });
  });
  return facts;
}

/** Reads the people; returns each user's kind by source id. */
export async function readPeople(
  ctx: ReadContext,
  { schoolFor }: Pick<Organisation, "schoolFor">,
  facts: ReadonlyMap<string, UserFacts>,
): Promise<Map<string, Kind>> {
  const { read, tombstone, problems, sink, version, dates } = ctx;
  const demographicsFile = ctx.tables.fileName("demographics") ?? "demographics.csv";

  // 1.2: roles.csv says who is what, where.
  const roles = new Map<string, RoleFacts>();
  await read("roles", (row, status) => {
    if (status === "deleted") return;
    const userId = row.get("userSourcedId");
    const role = roleOf(row, "role", problems);
    if (!userId || !role)
      return problems.add({
        severity: "error",
        file: row.file,
        line: row.line,
        field: userId ? "role" : "userSourcedId",
        message: "is empty; the role was dropped",
      });
    const entry = roles.get(userId) ?? { names: new Set<string>(), kinds: new Set<Kind>(), orgs: [] };
    const kind = kindOfRole(role);
    entry.names.add(role);
    entry.kinds.add(kind);
    if (enumOf(row, "roleType", ["primary", "secondary"], problems) === "primary" && kind !== Kind.Skipped) entry.primaryKind = kind;
    const org = row.get("orgSourcedId");
    if (org && kind !== Kind.Skipped && !entry.orgs.includes(org)) entry.orgs.push(org);
    roles.set(userId, entry);
  });

  const users = new Map<string, Kind>();
  await read("users", (row, status) => {
    const id = row.get("sourcedId");
    const at = { file: row.file, line: row.line };
    const { kind, orgIds } = userKind(row, id, version, roles, problems);
    if (kind === Kind.Dropped) {
      users.set(id, Kind.Dropped);
      return;
    }
    if (status === "deleted") {
      if (kind === Kind.Learner || kind === Kind.Educator) tombstone({ entity: kind === Kind.Learner ? "learner" : "educator", sourceId: id });
      return;
    }
    if (kind === Kind.Skipped) {
      const role = row.get("role") || [...(roles.get(id)?.names ?? [])].join(" and ") || "no role";
      problems.note("warning", row.file, row.line, "role", `"${role}": the user was not imported, since only students and teachers are rostered`);
      users.set(id, Kind.Skipped);
      return;
    }
    // Names single-spaced and NFC: a tab or line break inside a quoted name becomes a space.
    const givenName = cleanName(row.get("givenName")) ?? "";
    const familyName = cleanName(row.get("familyName")) ?? "";
    if (!givenName || !familyName) {
      users.set(id, Kind.Dropped);
      return problems.add({
        ...at,
        severity: "error",
        field: givenName ? "familyName" : "givenName",
        entity: kind === Kind.Learner ? "learner" : "educator",
        sourceId: id,
        message: "is empty; the user was dropped, and their enrollments with them",
      });
    }
    const schools = orgIds
      .map((org) => schoolFor(row, version === "1.2" ? "orgSourcedId" : "orgSourcedIds", org))
      .filter((school): school is string => Boolean(school));
    if (!schools.length) {
      users.set(id, Kind.Dropped);
      return problems.add({
        ...at,
        severity: "error",
        field: "orgSourcedIds",
        entity: kind === Kind.Learner ? "learner" : "educator",
        sourceId: id,
        message: `${orgIds.length ? `"${orgIds.join(",")}" is not in orgs.csv` : "is empty"}; the user was dropped, and their enrollments with them`,
      });
    }
    const email = normaliseEmail(row.get("email"));
    if (email.invalid) problems.note("warning", row.file, row.line, "email", `"${email.invalid}" is not an email address; it was left out`);
    users.set(id, kind);
    if (kind === Kind.Educator) {
      sink.educator({
        sourceId: id,
        schoolSourceIds: schools,
        givenName,
        familyName,
        email: email.email,
        username: row.get("username") || undefined,
        staffNumber: row.get("identifier") || undefined,
      });
      return;
    }
    const { grades, unknown } = gradesOf(row, "grades", problems);
    const yearGroup = grades[0];
    if (unknown.length && !yearGroup)
      problems.note("warning", row.file, row.line, "grades", `"${unknown[0]}" is not a known grade code; the learner was kept without a grade`);
    const known = facts.get(id);
    sink.learner({
      sourceId: id,
      schoolSourceIds: schools,
      givenName,
      familyName,
      middleName: cleanName(row.get("middleName")),
      preferredGivenName: cleanName(row.get("preferredGivenName")),
      preferredFamilyName: cleanName(row.get("preferredFamilyName")),
      dateOfBirth: known?.birthDate ? dates.read(known.birthDate.text, { file: demographicsFile, line: known.birthDate.line, field: "birthDate" }) : undefined,
      gender: known?.gender,
      demographics: known?.demographics,
      yearGroup,
      email: email.email,
      username: row.get("username") || undefined,
      studentNumber: row.get("identifier") || undefined,
      enabled: booleanOf(row, "enabledUser", problems) === false ? false : undefined,
    });
  });
  return users;
}

/** A user's kind and orgs: from users.csv in 1.0 and 1.1, from roles.csv in 1.2. */
function userKind(row: Row, id: string, version: string, roles: Map<string, RoleFacts>, problems: Problems): { kind: Kind; orgIds: string[] } {
  const fromRoles = roles.get(id);
  if (version === "1.2" || (!row.has("role") && fromRoles)) {
    if (!fromRoles) {
      problems.note(
        "error",
        row.file,
        row.line,
        "sourcedId",
        "has no row in roles.csv, so it is not known whether this is a student or a teacher; the user was dropped",
      );
      return { kind: Kind.Dropped, orgIds: [] };
    }
    const importable = [...fromRoles.kinds].filter((kind) => kind !== Kind.Skipped);
    let kind = importable[0] ?? Kind.Skipped;
    if (importable.length > 1) {
      kind = fromRoles.primaryKind ?? Kind.Learner;
      problems.note(
        "warning",
        row.file,
        row.line,
        "sourcedId",
        `is both a student and a teacher in roles.csv; the ${kind === Kind.Learner ? "student" : "teacher"} role was used`,
      );
    }
    const primary = row.get("primaryOrgSourcedId");
    const orgIds = primary && fromRoles.orgs.includes(primary) ? [primary, ...fromRoles.orgs.filter((org) => org !== primary)] : fromRoles.orgs;
    return { kind, orgIds };
  }
  const role = roleOf(row, "role", problems);
  if (!role) {
    problems.add({ severity: "error", file: row.file, line: row.line, field: "role", message: "is empty; the user was dropped" });
    return { kind: Kind.Dropped, orgIds: [] };
  }
  return { kind: kindOfRole(role), orgIds: listOf(row, "orgSourcedIds") };
}
