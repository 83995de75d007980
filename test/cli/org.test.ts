import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { PGlite } from "@electric-sql/pglite";
import { join } from "node:path";
import { pgliteOptions, wrapPglite, type Database } from "../../src/db/client.ts";
import { emailOutbox, licences } from "../../src/db/schema/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { cliEnvironment, runRollcall } from "../helpers/cli.ts";

let database: TestDatabase;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  database = await createTestDatabase();
  env = cliEnvironment(database.url);
});
afterAll(() => database.close());

/** Embedded runs write into env.DATA_DIR; Postgres runs into this file's own database. */
async function inspect<T>(read: (db: Database["db"]) => Promise<T>): Promise<T> {
  if (database.url) return read(database.db);
  const embedded = wrapPglite(await PGlite.create(join(env.DATA_DIR!, "pglite"), pgliteOptions));
  try {
    return await read(embedded.db);
  } finally {
    await embedded.close();
  }
}

describe("rollcall org and licence commands", () => {
  test("org create prints the id, licenses the products and queues the admin's invite", async () => {
    const result = await runRollcall(
      [
        "org",
        "create",
        "--name",
        "Willow Primary",
        "--admin-email",
        "Head@Willow.test",
        "--licence",
        "reading",
        "--licence",
        "insights",
        "--country",
        "GB",
        "--json",
      ],
      env,
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const { id } = JSON.parse(result.stdout) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const added = await runRollcall(["licence", "add", "--org", id, "--product", "maths"], env);
    expect(added.exitCode).toBe(0);

    const listed = await runRollcall(["org", "list", "--json"], env);
    const orgs = JSON.parse(listed.stdout) as { id: string; name: string; licences: string[]; country: string }[];
    expect(orgs).toHaveLength(1);
    expect(orgs[0]).toMatchObject({ id, name: "Willow Primary", country: "GB", licences: ["insights", "maths", "reading"] });

    const state = await inspect(async (db) => ({
      invites: await db.select().from(emailOutbox).where(eq(emailOutbox.orgId, id)),
      licences: await db.select().from(licences).where(eq(licences.orgId, id)),
    }));
    expect(state.licences).toHaveLength(3);
    expect(state.invites).toHaveLength(1);
    expect(state.invites[0]).toMatchObject({ kind: "invite", toAddress: "head@willow.test", status: "pending" });
  }, 60_000);

  test("wrong arguments get one line on stderr and exit code 2", async () => {
    const cases: [string[], string][] = [
      [["org", "create", "--name", "X", "--admin-email", "not-an-email", "--licence", "reading"], "not an email address"],
      [["org", "create", "--name", "X", "--admin-email", "a@b.test", "--licence", "chess"], 'unknown product "chess"'],
      [["org", "create", "--name", "X", "--admin-email", "a@b.test"], "--licence is required"],
      [["org", "create", "--nmae", "X"], "unknown option --nmae"],
      [["licence", "add", "--org", "00000000-0000-0000-0000-000000000000", "--product", "reading"], "no organization"],
      [["frobnicate"], "unknown command"],
    ];
    for (const [args, words] of cases) {
      const result = await runRollcall(args, env);
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 2 });
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain(words);
    }
  }, 60_000);

  test("every command has --help", async () => {
    for (const command of [
      ["org", "create"],
      ["org", "list"],
      ["licence", "add"],
    ]) {
      const result = await runRollcall([...command, "--help"], env);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toStartWith(`Usage: rollcall ${command.join(" ")}`);
    }
  });
});
