/**
 * An admin of one organization gets 404 for every resource of another. The test walks the
 * app's own route table, so a new route with an id in its path fails here until its
 * resource is added to `resources` below.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { classes, learners, schools, syncRuns } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, get, signInAs, type TestApp } from "../helpers/app.ts";

let t: TestApp;
let cookieA: string;
const ownedByB: Record<string, string> = {};
const ownedByA: Record<string, string> = {};

async function seedRoster(orgId: string, into: Record<string, string>) {
  const db = t.database.db;
  const [school] = await db.insert(schools).values({ orgId, name: "Hidden School" }).returning({ id: schools.id });
  const [klass] = await db.insert(classes).values({ orgId, schoolId: school!.id, kind: "subject_class", name: "Secret Class" }).returning({ id: classes.id });
  const [learner] = await db.insert(learners).values({ orgId, schoolId: school!.id, givenName: "Hidden", familyName: "Pupil" }).returning({ id: learners.id });
  const [run] = await db
    .insert(syncRuns)
    .values({ orgId, source: "clever", trigger: "cli", status: "succeeded", finishedAt: new Date() })
    .returning({ id: syncRuns.id });
  into.learners = learner!.id;
  into.sync = run!.id;
  into.classes = klass!.id;
}

beforeAll(async () => {
  t = await createTestApp();
  const a = await createOrgWithUser(t, { name: "Org A" });
  const b = await createOrgWithUser(t, { name: "Org B" });
  await seedRoster(a.orgId, ownedByA);
  await seedRoster(b.orgId, ownedByB);
  cookieA = await signInAs(t, a.email);
});
afterAll(() => t.close());

/** The first path segment of a route with an :id names the resource. */
function resourceOf(path: string): string {
  return path.split("/")[1]!;
}

describe("organization scoping", () => {
  const idRoutes = () => [
    ...new Set(
      t.app.routes
        .filter(
          (route) =>
            route.method === "GET" &&
            /:\w+/.test(route.path) &&
            !route.path.startsWith("/assets") &&
            !route.path.startsWith("/invite") &&
            // A pupil's verification link is a token, found by its hash, not an organization's record.
            !route.path.startsWith("/verify") &&
            !route.path.startsWith("/dev"),
        )
        .map((route) => route.path),
    ),
  ];

  test("every GET route with an id has a resource in this test", () => {
    for (const path of idRoutes()) expect(Object.keys(ownedByB)).toContain(resourceOf(path));
  });

  test("another organization's resources are 404, one's own are 200", async () => {
    const paths = idRoutes();
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const resource = resourceOf(path);
      const foreign = await get(t, path.replace(/:\w+/, ownedByB[resource]!), cookieA);
      expect({ path, status: foreign.status }).toEqual({ path, status: 404 });
      expect(await foreign.text()).not.toContain("Hidden");
      const own = await get(t, path.replace(/:\w+/, ownedByA[resource]!), cookieA);
      expect({ path, status: own.status }).toEqual({ path, status: 200 });
    }
  });

  test("lists show only one's own organization", async () => {
    const learnersPage = await (await get(t, "/learners", cookieA)).text();
    expect(learnersPage.match(/Pupil, Hidden/g)?.length).toBe(1);
    expect(learnersPage).toContain(ownedByA.learners!);
    expect(learnersPage).not.toContain(ownedByB.learners!);
  });

  test("without a session every page sends you to sign in", async () => {
    for (const path of ["/", "/learners", "/classes", `/learners/${ownedByA.learners}`]) {
      const response = await get(t, path);
      expect(response.status).toBe(303);
      expect(response.headers.get("Location")).toStartWith("/sign-in");
    }
  });
});
