/**
 * A large organization for the page and load benchmarks, written straight into a fresh
 * Postgres database with COPY (a real first sync of 1M learners takes minutes; the pages only
 * need the rows): learners with realistic names (the K-12 population's), their source links,
 * one class place each, a class per four learners, and one finished run whose changes list
 * holds a fifth of the learners, 2,000 of them May match pairs waiting for review. Then the
 * real server (src/main.ts) starts on it in a child process, and admins sign in.
 *
 *   ROLLCALL_BENCH_LEARNERS=1000000 (the default) to choose the size.
 */
import { sql as drizzleSql } from "drizzle-orm";
import { hashPassword } from "../../src/auth/passwords.ts";
import { bulkTransaction } from "../../src/db/bulk.ts";
import type { Database } from "../../src/db/client.ts";
import { staffUsers } from "../../src/db/schema/index.ts";
import { createOrganization } from "../../src/orgs/organizations.ts";
import { existingChild } from "./k12-population.ts";
import { ENCRYPTION_KEY } from "./sync-bench-db.ts";
import { startMain } from "../helpers/main-process.ts";

export const LEARNERS = Number(process.env.ROLLCALL_BENCH_LEARNERS ?? 1_000_000);
export const SESSION_SECRET = "b".repeat(48);
const PASSWORD = "bench password that is long enough";
const MAY_MATCH = 2_000;

const capital = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const SUBJECTS = ["Maths", "English", "Science", "History", "Art", "Music", "Spanish", "Geography"];

export interface BigOrg {
  orgId: string;
  runId: string;
  /** Admins who can sign in: email and password. */
  admins: { email: string; password: string }[];
  /** A name that is in the roster a few times, for the search. */
  searchName: string;
}

/** The organization, its rows by COPY, and `adminCount` admins. */
export async function buildBigOrg(database: Database, learnerCount: number, adminCount: number): Promise<BigOrg> {
  const org = await createOrganization(database.db, { name: "Big District", adminEmail: "owner@bench.test", licences: ["reading"] }, "http://localhost");
  const orgId = org.id;
  const passwordHash = await hashPassword(PASSWORD);
  const admins = Array.from({ length: adminCount }, (_, index) => ({ email: `admin${index}@bench.test`, password: PASSWORD }));
  await database.db
    .insert(staffUsers)
    .values(admins.map((admin) => ({ orgId, email: admin.email, name: admin.email, role: "org_admin" as const, passwordHash })));
  const schools = Math.max(1, Math.ceil(learnerCount / 2000));
  const classCount = Math.max(1, Math.ceil(learnerCount / 4));
  const schoolIds = Array.from({ length: schools }, () => crypto.randomUUID());
  const classIds = Array.from({ length: classCount }, () => crypto.randomUUID());
  const learnerIds = Array.from({ length: learnerCount }, () => crypto.randomUUID());
  const runId = crypto.randomUUID();
  const population = { size: learnerCount, schools };
  const nameOf = (index: number) => {
    const child = existingChild(index, population).existing;
    return { given: capital(child.givenName), family: capital(child.familyName), dateOfBirth: child.dateOfBirth };
  };
  const middle = nameOf(Math.floor(learnerCount / 2));
  await bulkTransaction(database, async (sql) => {
    await sql.copyIn(
      "schools",
      ["id", "org_id", "name", "status"],
      schoolIds.map((id, index) => [id, orgId, `School ${index}`, "active"]),
    );
    await sql.copyIn(
      "classes",
      ["id", "org_id", "school_id", "kind", "name", "grade_codes", "status"],
      classIds.map((id, index) => [id, orgId, schoolIds[index % schools], "subject_class", `${SUBJECTS[index % SUBJECTS.length]} ${index}`, ["5"], "active"]),
    );
    await sql.copyIn(
      "learners",
      ["id", "org_id", "school_id", "given_name", "family_name", "date_of_birth", "student_number", "username", "has_access", "status"],
      (function* () {
        for (let index = 0; index < learnerCount; index++) {
          const name = nameOf(index);
          yield [learnerIds[index], orgId, schoolIds[index % schools], name.given, name.family, name.dateOfBirth, `N${index}`, `u${index}`, true, "active"];
        }
      })(),
    );
    await sql.copyIn(
      "source_links",
      ["org_id", "source", "entity", "source_id", "entity_id", "record_hash"],
      (function* () {
        for (let index = 0; index < learnerCount; index++) yield [orgId, "oneroster", "learner", `s${index}`, learnerIds[index], "h"];
      })(),
    );
    await sql.copyIn(
      "enrolments",
      ["org_id", "class_id", "learner_id"],
      (function* () {
        for (let index = 0; index < learnerCount; index++) yield [orgId, classIds[Math.floor(index / 4)], learnerIds[index]];
      })(),
    );
    await sql.copyIn(
      "sync_runs",
      ["id", "org_id", "source", "trigger", "status", "counts"],
      [[runId, orgId, "oneroster", "cli", "succeeded", JSON.stringify({ learners: { New: learnerCount / 5, "May match": MAY_MATCH } })]],
    );
    await sql.copyIn(
      "sync_run_items",
      ["run_id", "org_id", "entity", "status", "action", "entity_id", "source_id", "label", "after"],
      (function* () {
        const after = JSON.stringify({ changes: [{ field: "familyName", before: "Old", after: "New" }] });
        for (let index = 0; index < learnerCount; index += 5) {
          const name = nameOf(index);
          const mayMatch = index / 5 < MAY_MATCH;
          yield [
            runId,
            orgId,
            "learner",
            mayMatch ? "May match" : "New",
            mayMatch ? "none" : "create",
            learnerIds[index],
            `s${index}`,
            `${name.given} ${name.family}`,
            after,
          ];
        }
      })(),
    );
  });
  await database.db.execute(drizzleSql`analyze`);
  return { orgId, runId, admins, searchName: `${middle.given} ${middle.family}` };
}

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `npm start` against the bench database: src/main.ts in a child process, without the scheduler. */
export async function startServer(databaseUrl: string): Promise<Server> {
  const { child, url } = await startMain({ DATABASE_URL: databaseUrl, SESSION_SECRET, ENCRYPTION_KEY, LOG_LEVEL: "warn" });
  return {
    url: url.replace("localhost", "127.0.0.1"),
    pid: child.pid,
    async stop() {
      child.kill();
      await child.exited;
    },
  };
}

/** Signs an admin in through the real form; the session cookie ("name=value"). */
export async function signIn(server: Server, admin: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${server.url}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: new URL(server.url).origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(admin),
  });
  const cookie = response.headers
    .getSetCookie()
    .find((header) => header.startsWith("rollcall_session="))
    ?.split(";")[0];
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed with ${response.status}`);
  return cookie;
}

/** The pages an admin browses, as paths: the learners list's first, last and a middle page, a name search, classes, the run page and the review. */
export function browsePaths(org: BigOrg): Record<string, string> {
  return {
    "learners, first page": "/learners",
    "learners, last page": "/learners?last=1",
    "learners, a middle page (M)": "/learners?from=M",
    "learners, a name search": `/learners?q=${encodeURIComponent(org.searchName)}`,
    classes: "/classes",
    "classes, last page": "/classes?last=1",
    "a run page": `/sync/runs/${org.runId}`,
    "the review list": "/review",
  };
}
