/**
 * Lists at scale (issue 21, part 2): the learners and classes lists page by their sort key, never
 * by OFFSET; First, Previous, Next and Last walk the whole list in order; a letter reaches its
 * middle; counts stop at 1,000; a link past the end goes to the last page; the name search and
 * the identifiers it finds by exact match are answered by their indexes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { classes, learners, syncRunItems, syncRuns } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, get, signInAs, type TestApp } from "../helpers/app.ts";

const FAMILY = ["Adeyemi", "Brennan", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jones", "Kowalski", "Li", "Murphy", "Nguyen"];
const GIVEN = ["Ava", "Ben", "Cara", "Dev", "Ema", "Finn", "Gus"];
const LEARNERS = 1_050;

let app: TestApp;
let cookie: string;
let orgId: string;
/** Every learner's id in the list's order, as the database orders them. */
let ordered: string[];

beforeAll(async () => {
  app = await createTestApp();
  const created = await createOrgWithUser(app);
  orgId = created.orgId;
  cookie = await signInAs(app, created.email);
  const rows = Array.from({ length: LEARNERS }, (_, index) => ({
    orgId,
    givenName: GIVEN[index % GIVEN.length]!,
    familyName: FAMILY[Math.floor(index / GIVEN.length) % FAMILY.length]!,
    studentNumber: `sn-${index}`,
    username: `user${index}`,
  }));
  for (let start = 0; start < rows.length; start += 500) await app.database.db.insert(learners).values(rows.slice(start, start + 500));
  await app.database.db
    .insert(classes)
    .values(Array.from({ length: 120 }, (_, index) => ({ orgId, kind: "subject_class" as const, name: `${FAMILY[index % FAMILY.length]} ${index}` })));
  ordered = (
    await app.database.db
      .select({ id: learners.id })
      .from(learners)
      .where(eq(learners.orgId, orgId))
      .orderBy(asc(learners.familyName), asc(learners.givenName), asc(learners.id))
  ).map((row) => row.id);
}, 60_000);
afterAll(() => app.close());

const decode = (href: string) => href.replaceAll("&amp;", "&");
const idsOn = (html: string, kind = "learners") => [...html.matchAll(new RegExp(`href="/${kind}/([0-9a-f-]{36})"`, "g"))].map((match) => match[1]!);
const linkOn = (html: string, label: string) => {
  const href = new RegExp(`<a href="([^"]+)">${label}</a>`).exec(html)?.[1];
  return href ? decode(href) : null;
};
const page = async (path: string) => {
  const response = await get(app, path, cookie);
  expect({ path, status: response.status }).toEqual({ path, status: 200 });
  return response.text();
};

describe("paging learners by their sort key", () => {
  test("Next walks the whole list in order, and Previous walks back", async () => {
    const seen: string[] = [];
    const pages: string[] = [];
    let path: string | null = "/learners";
    while (path) {
      const html = await page(path);
      pages.push(path);
      seen.push(...idsOn(html));
      path = linkOn(html, "Next");
    }
    expect(seen).toEqual(ordered);
    expect(pages).toHaveLength(Math.ceil(LEARNERS / 50));
    for (const next of pages.slice(1)) expect(next).toMatch(/^\/learners\?status=active&after=[\w-]+$/);

    // From the second page, Previous shows the first page again, whole.
    const second = await page(pages[1]!);
    expect(idsOn(await page(linkOn(second, "Previous")!))).toEqual(ordered.slice(0, 50));
    // From the fourth page, Previous shows the third.
    const fourth = await page(pages[3]!);
    expect(idsOn(await page(linkOn(fourth, "Previous")!))).toEqual(ordered.slice(100, 150));
  });

  test("First and Last: the last page holds the list's last rows, and has no Next", async () => {
    const first = await page("/learners");
    expect(first).toContain('<span class="muted">Previous</span>');
    const last = await page(linkOn(first, "Last")!);
    expect(idsOn(last)).toEqual(ordered.slice(-50));
    expect(last).toContain('<span class="muted">Next</span>');
    expect(idsOn(await page(linkOn(last, "First")!))).toEqual(ordered.slice(0, 50));
  });

  test("a letter reaches the middle: the family names from it, with Previous and Next", async () => {
    const html = await page("/learners?from=M");
    const [firstFromM] = await app.database.db
      .select({ id: learners.id })
      .from(learners)
      .where(and(eq(learners.orgId, orgId), sql`${learners.familyName} >= 'M'`))
      .orderBy(asc(learners.familyName), asc(learners.givenName), asc(learners.id))
      .limit(1);
    const at = ordered.indexOf(firstFromM!.id);
    expect(at).toBeGreaterThan(50);
    expect(idsOn(html)).toEqual(ordered.slice(at, at + 50));
    expect(html).toContain('<strong aria-current="page">M </strong>');
    expect(idsOn(await page(linkOn(html, "Previous")!))).toEqual(ordered.slice(at - 50, at));
    expect(html).toContain("Listed by family name, then given name, 50 to a page.");
  });

  test("filters ride along on every link", async () => {
    const html = await page("/learners?access=no&q=Chen");
    expect(linkOn(html, "Next")).toMatch(/^\/learners\?q=Chen&status=active&access=no&after=/);
    expect(html).toContain('href="/learners?q=Chen&amp;status=active&amp;access=no&amp;from=M"');
  });
});

describe("links that point nowhere", () => {
  test("past the end goes to the last page, keeping the filters; with nothing matching, to the list itself", async () => {
    // A key after every Chen: nothing comes after it.
    const lastKey = Buffer.from(JSON.stringify(["Chen", "Zz", "ffffffff-ffff-ffff-ffff-ffffffffffff"])).toString("base64url");
    const beyond = await get(app, `/learners?q=Chen&after=${lastKey}`, cookie);
    expect(beyond.status).toBe(302);
    expect(beyond.headers.get("location")).toBe("/learners?q=Chen&last=1");
    const nobody = await get(app, `/learners?q=Nobody&after=${lastKey}`, cookie);
    expect(nobody.headers.get("location")).toBe("/learners?q=Nobody");
    expect(await page("/learners?q=Nobody")).toContain("No learners match “Nobody” with these filters.");
  });

  test("a damaged key or an old page number shows the first page", async () => {
    const notAnId = Buffer.from(JSON.stringify(["Chen", "Ava", "not-an-id"])).toString("base64url");
    for (const path of [
      "/learners?after=not-a-key",
      "/learners?before=%E2%98%83",
      "/learners?page=7",
      `/learners?after=${"x".repeat(5000)}`,
      `/learners?after=${notAnId}`,
    ])
      expect({ path, ids: idsOn(await page(path)) }).toEqual({ path, ids: ordered.slice(0, 50) });
  });

  test("a letter past every name shows the last page", async () => {
    const response = await get(app, "/learners?from=%7E%7E", cookie);
    expect(response.headers.get("location")).toBe("/learners?last=1");
  });
});

describe("counts", () => {
  test("exact up to 1,000, then 'More than 1,000'", async () => {
    const all = await page("/learners");
    expect(all).toContain("<p>More than 1,000 learners</p>");
    expect(all).toContain("Search or filter to narrow the list");
    const chen = await page("/learners?q=Chen");
    const chens = await app.database.db.$count(learners, and(eq(learners.orgId, orgId), eq(learners.familyName, "Chen")));
    expect(chens).toBeGreaterThan(50);
    expect(chen).toContain(`<p>${chens} learners</p>`);
    // The last page of a longer list counts the whole list, not the page.
    expect(await page("/learners?q=Chen&last=1")).toContain(`<p>${chens} learners</p>`);
    expect(await page("/learners?q=sn-17")).toContain("<p>1 learner</p>");
    expect(await page("/classes")).toContain("<p>120 classes</p>");
  });
});

describe("classes", () => {
  test("Next walks every class in name order; Last and a letter work", async () => {
    const names = (
      await app.database.db.select({ id: classes.id }).from(classes).where(eq(classes.orgId, orgId)).orderBy(asc(classes.name), asc(classes.id))
    ).map((row) => row.id);
    const seen: string[] = [];
    let path: string | null = "/classes";
    while (path) {
      const html = await page(path);
      seen.push(...idsOn(html, "classes"));
      path = linkOn(html, "Next");
    }
    expect(seen).toEqual(names);
    expect(idsOn(await page("/classes?last=1"), "classes")).toEqual(names.slice(-50));
    const [firstFromK] = await app.database.db
      .select({ id: classes.id })
      .from(classes)
      .where(and(eq(classes.orgId, orgId), sql`${classes.name} >= 'K'`))
      .orderBy(asc(classes.name), asc(classes.id))
      .limit(1);
    const at = names.indexOf(firstFromK!.id);
    expect(at).toBeGreaterThan(0);
    expect(idsOn(await page("/classes?from=K"), "classes")).toEqual(names.slice(at, at + 50));
    const lastKey = Buffer.from(JSON.stringify(["~", "ffffffff-ffff-ffff-ffff-ffffffffffff"])).toString("base64url");
    expect((await get(app, `/classes?after=${lastKey}`, cookie)).headers.get("location")).toBe("/classes?last=1");
  });
});

describe("the indexes answer the search", () => {
  /** The plan of a query with sequential scans ruled out as far as the planner allows: an unindexable test still shows one. */
  async function planOf(where: string): Promise<string> {
    return app.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const rows = await queryRows<{ "QUERY PLAN": string }>(tx, sql.raw(`explain select id from learners where ${where}`));
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
  }
  const text = `(' ' || coalesce(preferred_given_name, given_name) || ' ' || family_name || ' ' || given_name || ' ' || coalesce(username, ''))`;

  test("a name word, a short word at the start of a name, and the identifiers each use an index", async () => {
    expect(await planOf(`${text} ilike '%chen%'`)).toContain("learners_search_trgm_idx");
    expect(await planOf(`${text} ilike '% li%'`)).toContain("learners_search_trgm_idx");
    const identifiers = await planOf(`${text} ilike '%sn-17%' or upn = 'SN-17' or upper(state_id) = 'SN-17' or upper(student_number) = 'SN-17'`);
    for (const index of ["learners_search_trgm_idx", "learners_org_upn_idx", "learners_org_upper_state_id_idx", "learners_org_upper_student_number_idx"])
      expect({ index, used: identifiers.includes(index) }).toEqual({ index, used: true });
    expect(identifiers).not.toContain("Seq Scan");
  });

  test("a short word finds names that start with it, not names that merely contain it", async () => {
    const html = await page("/learners?q=li");
    const found = idsOn(html);
    expect(found.length).toBeGreaterThan(0);
    const names = await app.database.db
      .select({ family: learners.familyName, given: learners.givenName })
      .from(learners)
      .where(sql`${learners.id} in ${found}`);
    for (const name of names) expect(name.family).toBe("Li");
  });
});

describe("a run's lists and the review page by their keys", () => {
  test("Next walks a run's 450 changes 200 at a time and First goes back; the review walks 30 pairs 25 at a time", async () => {
    const [run] = await app.database.db.insert(syncRuns).values({ orgId, source: "oneroster", trigger: "cli", status: "held" }).returning({ id: syncRuns.id });
    const items = ordered.slice(0, 480).map((learnerId, index) => ({
      runId: run!.id,
      orgId,
      entity: "learner",
      status: index < 30 ? "May match" : "New",
      action: index < 30 ? "none" : "create",
      entityId: learnerId,
      sourceId: `s${index}`,
      label: `Incoming ${String(index).padStart(3, "0")}`,
    }));
    await app.database.db.insert(syncRunItems).values(items);
    const seen: string[] = [];
    let path: string | null = `/sync/runs/${run!.id}`;
    let pages = 0;
    while (path) {
      const html = await page(path);
      pages++;
      seen.push(...[...html.matchAll(/>(Incoming \d{3})</g)].map((match) => match[1]!));
      path = linkOn(html, "Next changes")?.replace(/#changes$/, "") ?? null;
      if (pages > 1) expect(html).toContain(`href="/sync/runs/${run!.id}#changes">First changes</a>`);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(items.map((item) => item.label));

    const first = await page("/review");
    expect(first).toContain('<strong id="pairs-left">30 learners wait</strong>');
    const firstLabels = [...first.matchAll(/Incoming (\d{3})/g)].map((match) => match[1]);
    const second = await page(linkOn(first, "Next pairs")!);
    const secondLabels = [...second.matchAll(/Incoming (\d{3})/g)].map((match) => match[1]);
    expect(new Set([...firstLabels, ...secondLabels]).size).toBe(30);
    expect(new Set(secondLabels).size).toBe(5);
    expect(second).toContain('<a href="/review">First pairs</a>');
    expect((await get(app, "/review?after=garbage", cookie)).status).toBe(200);

    // A page of pairs is read in order from the review index, not sorted from all of the run's pairs.
    const plan = await app.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_sort = off`);
      const rows = await queryRows<{ "QUERY PLAN": string }>(
        tx,
        sql`explain select id from sync_run_items where run_id = ${run!.id} and entity = 'learner' and status = 'May match' order by coalesce(label, ''), id limit 25`,
      );
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("sync_run_items_review_idx");
    expect(plan).not.toContain("Sort");
  });
});
