/**
 * The demo district answers in Clever's documented shapes: each endpoint's response validates
 * against its schema in Clever's own OpenAPI (Swagger 2.0) files, read from ../shared.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { parse } from "yaml";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, createDemoClever } from "../../src/demo/index.ts";
import { serve } from "../helpers/collect.ts";
import { sharedPath, skipWithoutShared } from "../helpers/shared.ts";

type Schema = Record<string, unknown>;

/** Swagger 2's `x-nullable` as JSON Schema: the value may also be null. */
function nullable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullable);
  if (!schema || typeof schema !== "object") return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) copy[key] = key === "enum" ? value : nullable(value);
  if (copy["x-nullable"] === true) {
    delete copy["x-nullable"];
    return { anyOf: [copy, { type: "null" }] };
  }
  return copy;
}

function validatorFor(file: string) {
  const spec = parse(readFileSync(sharedPath(`reference/clever-openapi/${file}`), "utf8")) as { definitions: Schema };
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: "clever", definitions: nullable(spec.definitions) });
  return (definition: string, body: unknown) => {
    const validate = ajv.getSchema(`clever#/definitions/${definition}`)!;
    const ok = validate(body);
    return ok ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };
}

const skip = skipWithoutShared("Clever's OpenAPI files");
const demo = createDemoClever({ learners: 120 });
const server = serve(demo.app.fetch);
afterAll(() => server.stop());

async function get(path: string) {
  const basic = Buffer.from(`${DEMO_CLIENT_ID}:${DEMO_CLIENT_SECRET}`).toString("base64");
  const tokens = (await (await fetch(`${server.url}/oauth/tokens?owner_type=district`, { headers: { Authorization: `Basic ${basic}` } })).json()) as {
    data: { access_token: string }[];
  };
  const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${tokens.data[0]!.access_token}` } });
  expect(response.status).toBe(200);
  return response.json();
}

describe.skipIf(skip)("the demo district conforms to Clever's OpenAPI v3.0", () => {
  const cases: [string, string][] = [
    ["/v3.0/districts", "DistrictsResponse"],
    ["/v3.0/schools", "SchoolsResponse"],
    ["/v3.0/terms", "TermsResponse"],
    ["/v3.0/courses", "CoursesResponse"],
    ["/v3.0/sections?limit=5", "SectionsResponse"],
    ["/v3.0/users?role=student&limit=50", "UsersResponse"],
    ["/v3.0/users?role=teacher&limit=5", "UsersResponse"],
  ];
  for (const [path, definition] of cases) {
    test(`${path} is a ${definition}`, async () => {
      const validate = validatorFor("v3.0.yml");
      const body = (await get(path)) as { data: unknown[] };
      expect(body.data.length).toBeGreaterThan(0);
      expect(validate(definition, body)).toEqual([]);
    });
  }

  test("single records are a UserResponse and a SectionResponse", async () => {
    const validate = validatorFor("v3.0.yml");
    const students = (await get("/v3.0/users?role=student&limit=1")) as { data: { data: { id: string } }[] };
    const sections = (await get("/v3.0/sections?limit=1")) as { data: { data: { id: string } }[] };
    expect(validate("UserResponse", await get(`/v3.0/users/${students.data[0]!.data.id}`))).toEqual([]);
    expect(validate("SectionResponse", await get(`/v3.0/sections/${sections.data[0]!.data.id}`))).toEqual([]);
  });

  test("a response that breaks the schema is caught (the check can fail)", async () => {
    const validate = validatorFor("v3.0.yml");
    const body = (await get("/v3.0/users?role=student&limit=1")) as { data: { data: { roles: { student: { grade: string } } } }[] };
    body.data[0]!.data.roles.student.grade = "Year 7";
    expect(validate("UsersResponse", body).length).toBeGreaterThan(0);
  });
});
