import { expect, test } from "bun:test";
import { diffFields } from "../../../src/sync/reconcile/fields.ts";

test("a stored value whose keys come back in another order is the same value (demographics from jsonb)", () => {
  const stored = { demographics: { homeLanguage: "English", ethnicity: ["Asian"], hispanicOrLatino: false } };
  const incoming = { demographics: { ethnicity: ["Asian"], hispanicOrLatino: false, homeLanguage: "English" } };
  expect(diffFields(stored, incoming)).toEqual([]);
  const changed = { demographics: { ethnicity: ["Asian"], hispanicOrLatino: true, homeLanguage: "English" } };
  expect(diffFields(stored, changed).map((change) => change.field)).toEqual(["demographics"]);
});
