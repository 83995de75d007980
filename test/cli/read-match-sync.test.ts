/**
 * The operator's commands end to end, in child processes: `read` prints counts and every
 * problem (as JSON too) and exits 2 on an unreadable file; `match` writes its pairs file;
 * `connect` + `sync --json` take a OneRoster zip all the way into the roster, and a second
 * sync of the same zip changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { cliEnvironment, runRollcall } from "../helpers/cli.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { fixtureDir, folderFiles, zipFiles } from "../helpers/oneroster.ts";

let database: TestDatabase;
let env: Record<string, string | undefined>;
let zip: string;
beforeAll(async () => {
  database = await createTestDatabase();
  env = cliEnvironment(database.url);
  zip = await zipFiles(folderFiles(fixtureDir("edfi-or11")));
});
afterAll(() => database.close());

describe("rollcall read", () => {
  test("prints counts and each problem as file:line field: message", async () => {
    const result = await runRollcall(["read", "--source", "oneroster", "--file", zip], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/learners\s+8\n/);
    expect(result.stdout).toMatch(/enrolments\s+24\n/);
    expect(result.stdout).toContain("users.csv:10: has 19 values but the header has 18 columns");
  });

  test("--json prints one object with counts and problems", async () => {
    const result = await runRollcall(["read", "--source", "oneroster", "--file", zip, "--json"], env);
    expect(result.exitCode).toBe(0);
    const output = JSON.parse(result.stdout) as {
      counts: Record<string, number>;
      problems: { file: string; line: number; field: string | null; severity: string; message: string }[];
    };
    expect(output.counts).toEqual({ schools: 1, academicSessions: 3, classes: 2, learners: 8, educators: 2, enrolments: 24 });
    expect(output.problems).toContainEqual({
      file: "users.csv",
      line: 11,
      field: null,
      severity: "warning",
      message: "has 19 values but the header has 18 columns (a trailing comma); the empty extra value was ignored",
    });
  });

  test("an unreadable file exits 2 with the reason", async () => {
    const notZip = join(mkdtempSync(join(tmpdir(), "rollcall-read-")), "roster.zip");
    writeFileSync(notZip, "plain text");
    const result = await runRollcall(["read", "--source", "oneroster", "--file", notZip], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("not a zip");
  });
});

describe("rollcall match", () => {
  test("writes one row per incoming record with its status, score and field levels", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rollcall-match-"));
    const header = "id,given_name,family_name,preferred_name,date_of_birth,gender,year_group,upn,email,school";
    writeFileSync(
      join(dir, "existing.csv"),
      [header, "e1,William,Okafor,,2014-03-09,male,3,,,north", "e2,Ada,Lovelace,,2013-12-10,female,4,,,north", "e3,Gone,Away,,2012-01-01,,5,,,north"].join(
        "\n",
      ),
    );
    writeFileSync(
      join(dir, "incoming.csv"),
      [header, "i1,Bill,Okafor,,2014-03-09,male,4,,,north", "i2,Ada,Lovelace,,2013-12-10,female,5,,,north", "i3,New,Child,,2015-06-06,female,2,,,north"].join(
        "\n",
      ),
    );
    const out = join(dir, "pairs.csv");
    const result = await runRollcall(["match", "--existing", join(dir, "existing.csv"), "--incoming", join(dir, "incoming.csv"), "--out", out], env);
    expect(result.exitCode).toBe(0);
    const pairs = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(pairs.map((pair) => [pair.incoming_id, pair.existing_id, pair.status])).toEqual([
      ["i1", "e1", "May match"],
      ["i2", "e2", "May match"],
      ["i3", "", "New"],
    ]);
    expect(pairs[0]).toMatchObject({ given_name_level: "nickname", family_name_level: "exact", date_of_birth_level: "exact", year_group_level: "promoted" });
    expect(Number(pairs[0]!.score)).toBeGreaterThan(0.5);
  });

  test("a file without an id column is a one-line error, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rollcall-match-"));
    writeFileSync(join(dir, "a.csv"), "name\nx\n");
    const result = await runRollcall(["match", "--existing", join(dir, "a.csv"), "--incoming", join(dir, "a.csv"), "--out", join(dir, "o.csv")], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split("\n").length).toBe(1);
    expect(result.stderr).toContain('no "id" column');
  });
});

describe("rollcall connect and sync with a OneRoster zip", () => {
  test("the zip's people land in the roster, and a second sync changes nothing", async () => {
    const created = await runRollcall(
      ["org", "create", "--name", "Grand Bend ISD", "--admin-email", "admin@grandbend.test", "--licence", "reading", "--json"],
      env,
    );
    expect(created.exitCode).toBe(0);
    const orgId = (JSON.parse(created.stdout) as { id: string }).id;
    const connected = await runRollcall(["connect", "--org", orgId, "--source", "oneroster", "--file", zip, "--grades", "all"], env);
    expect(connected.exitCode).toBe(0);

    const first = await runRollcall(["sync", "--org", orgId, "--json"], env);
    expect(first.exitCode).toBe(0);
    const run = JSON.parse(first.stdout) as { runId: string; status: string; counts: Record<string, Record<string, number>> };
    expect(run.status).toBe("succeeded");
    expect(run.counts.learners!.New).toBe(8);
    expect(run.counts.educators!.New).toBe(2);
    expect(run.counts.classes!.New).toBe(2);

    const second = JSON.parse((await runRollcall(["sync", "--org", orgId, "--json"], env)).stdout) as typeof run;
    expect(second.status).toBe("succeeded");
    expect(second.counts.learners).toMatchObject({ New: 0, Synced: 0, Desynced: 0, Unchanged: 8 });
  });
});
