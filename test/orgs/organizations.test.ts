/** A new organization's starting settings follow its country (issue 20, point 5). */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { syncSettings } from "../../src/db/schema/index.ts";
import { createOrganization } from "../../src/orgs/organizations.ts";
import { ensureProducts } from "../../src/products.ts";
import { GRADE_CODES } from "../../src/roster/snapshot.ts";
import { TEST_ORIGIN } from "../helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await ensureProducts(database.db);
});
afterAll(() => database.close());

const scopeOf = async (orgId: string) =>
  (await database.db.select({ scope: syncSettings.scope }).from(syncSettings).where(eq(syncSettings.orgId, orgId)))[0]!.scope;

test("a UK school syncs every year group from the start; a US district the early years", async () => {
  const school = await createOrganization(database.db, { name: "Oak School", adminEmail: "head@oak.test", licences: ["reading"], country: "GB" }, TEST_ORIGIN);
  expect(await scopeOf(school.id)).toEqual({ kind: "grades", grades: [...GRADE_CODES] });
  const district = await createOrganization(database.db, { name: "Elm District", adminEmail: "admin@elm.test", licences: ["reading"] }, TEST_ORIGIN);
  expect(await scopeOf(district.id)).toEqual({
    kind: "grades",
    grades: ["InfantToddler", "Preschool", "PreKindergarten", "TransitionalKindergarten", "Kindergarten"],
  });
});
