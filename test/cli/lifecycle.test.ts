/**
 * The data lifecycle commands end to end, in child processes as an operator runs them: an
 * organization synced from a generated OneRoster zip is exported (and the zip reads back with
 * the same counts), one of its learners is erased, and then the organization is erased, which
 * needs its exact name.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { DEFAULT_ZIP_LIMITS, openZipFiles } from "../../src/sources/oneroster/files.ts";
import { cliEnvironment, runRollcall } from "../helpers/cli.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
let env: Record<string, string | undefined>;
let dir: string;
let orgId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "rollcall-lifecycle-cli-"));
  env = cliEnvironment(database.url);
  env.DATA_DIR ??= join(dir, "data");
  const demo = join(dir, "demo.zip");
  expect((await runRollcall(["demo", "oneroster", "--out", demo, "--learners", "80"], env)).exitCode).toBe(0);
  const created = await runRollcall(
    ["org", "create", "--name", "Maple Grove District", "--admin-email", "head@maple.test", "--licence", "reading", "--json"],
    env,
  );
  orgId = (JSON.parse(created.stdout) as { id: string }).id;
  expect((await runRollcall(["connect", "--org", orgId, "--source", "oneroster", "--file", demo, "--grades", "all"], env)).exitCode).toBe(0);
  const synced = await runRollcall(["sync", "--org", orgId, "--json"], env);
  expect((JSON.parse(synced.stdout) as { status: string }).status).toBe("succeeded");
}, 60_000);
afterAll(() => database.close());

async function usersOf(zip: string): Promise<Record<string, string>[]> {
  const files = await openZipFiles(zip, DEFAULT_ZIP_LIMITS);
  try {
    return parse(await new Response((await files.open("users.csv")) as unknown as ReadableStream).text(), { columns: true }) as Record<string, string>[];
  } finally {
    files.close();
  }
}

test("export writes the roster; read reads it back with the same counts; erasing a learner takes one away", async () => {
  const out = join(dir, "roster.zip");
  const exported = await runRollcall(["export", "--org", orgId, "--out", out, "--json"], env);
  expect(exported.exitCode).toBe(0);
  const counts = JSON.parse(exported.stdout) as Record<string, number>;
  expect(counts.learners).toBe(80);
  const readBack = await runRollcall(["read", "--source", "oneroster", "--file", out, "--json"], env);
  expect(JSON.parse(readBack.stdout)).toEqual({ counts, problems: [] });

  const learner = (await usersOf(out)).find((user) => user.role === "student")!;
  expect((await runRollcall(["learner", "erase", "--org", orgId, "--learner", "not-an-id"], env)).exitCode).toBe(2);
  const erased = await runRollcall(["learner", "erase", "--org", orgId, "--learner", learner.sourcedId!, "--json"], env);
  expect(erased.exitCode).toBe(0);
  expect(JSON.parse(erased.stdout)).toMatchObject({ learners: 1, links: 1 });
  expect(erased.stderr).not.toContain(learner.givenName!);
  const again = await runRollcall(["learner", "erase", "--org", orgId, "--learner", learner.sourcedId!], env);
  expect(again.exitCode).toBe(2);
  expect(again.stderr).toContain("no learner");

  const after = join(dir, "after.zip");
  expect((await runRollcall(["export", "--org", orgId, "--out", after], env)).exitCode).toBe(0);
  const users = await usersOf(after);
  expect(users.filter((user) => user.role === "student").length).toBe(79);
  expect(users.some((user) => user.sourcedId === learner.sourcedId)).toBe(false);
});

test("org erase needs the organization's exact name; then nothing of it is left to list", async () => {
  expect(existsSync(join(env.DATA_DIR!, "connections", orgId, "oneroster.zip"))).toBe(true);
  const missing = await runRollcall(["org", "erase", "--org", orgId], env);
  expect(missing.exitCode).toBe(2);
  const wrong = await runRollcall(["org", "erase", "--org", orgId, "--confirm", "maple grove district"], env);
  expect(wrong.exitCode).toBe(2);
  expect(wrong.stderr).toContain("nothing was erased");
  expect((await runRollcall(["org", "list", "--json"], env)).stdout).toContain(orgId);

  const erased = await runRollcall(["org", "erase", "--org", orgId, "--confirm", "Maple Grove District", "--json"], env);
  expect(erased.exitCode).toBe(0);
  expect(JSON.parse(erased.stdout)).toMatchObject({ learners: 79, staff_users: 0, invites: 1 });
  expect((await runRollcall(["org", "list", "--json"], env)).stdout).not.toContain(orgId);
  expect(existsSync(join(env.DATA_DIR!, "connections", orgId))).toBe(false);
  expect((await runRollcall(["org", "erase", "--org", orgId, "--confirm", "Maple Grove District"], env)).exitCode).toBe(2);
  const help = await runRollcall(["--help"], env);
  for (const command of ["export", "learner erase", "org erase"]) expect(help.stdout).toContain(command);
});
