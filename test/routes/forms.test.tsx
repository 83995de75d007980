/**
 * The one form pattern: validated() hands a route typed values, or its onInvalid the field
 * errors and what was sent (to echo back); the shared fields tie each to its label, hint and
 * error so assistive technology reads them together.
 */
import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { z } from "zod";
import { CheckboxField, ChoiceGroup, SelectField, TextField } from "../../views/components/forms.tsx";
import type { AppEnv } from "../../src/routes/context.tsx";
import { type FormProblem, pageNumber, validated, validatedQuery } from "../../src/routes/validate.ts";

describe("validated()", () => {
  const schema = z.object({ days: z.coerce.number().int().min(1, "Enter at least 1 day."), name: z.string().trim().min(1, "Enter a name.") });
  const seen: { values?: unknown; problem?: FormProblem } = {};
  const app = new Hono<AppEnv>().post(
    "/",
    validated("form", schema, (c, problem) => {
      seen.problem = problem;
      return c.text("sent back", 422);
    }),
    (c) => {
      seen.values = c.req.valid("form");
      return c.text("saved");
    },
  );
  const post = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(key, one);
    return app.request("/", { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  };

  test("good input reaches the route typed", async () => {
    expect(await (await post({ days: "30", name: " Oak " })).text()).toBe("saved");
    expect(seen.values).toEqual({ days: 30, name: "Oak" });
  });

  test("bad input gets each field's first error and everything that was sent, repeated fields as lists", async () => {
    const response = await post({ days: "0", name: "", tag: ["a", "b"] });
    expect(response.status).toBe(422);
    expect(seen.problem).toEqual({ errors: { days: "Enter at least 1 day.", name: "Enter a name." }, input: { days: "0", name: "", tag: ["a", "b"] } });
  });
});

test("validatedQuery() never refuses a link: each field falls back to its default", async () => {
  const app = new Hono<AppEnv>().get("/", validatedQuery(z.object({ page: pageNumber, q: z.string().catch("") })), (c) => c.json(c.req.valid("query")));
  const answer = async (query: string) => (await app.request(`/?${query}`)).json();
  expect(await answer("page=3&q=oak")).toEqual({ page: 3, q: "oak" });
  expect(await answer("page=-1&q=a&q=b")).toEqual({ page: 1, q: "" });
  expect(await answer("page=many")).toEqual({ page: 1, q: "" });
});

describe("the shared fields", () => {
  const html = (node: unknown) => String(node);

  test("a field with an error is marked invalid and described by its hint and its error", () => {
    const out = html(<TextField name="days" label="Days" hint="From 30 to 730." error="Enter at least 30 days." value="3" />);
    expect(out).toContain('<label for="days">Days</label>');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('aria-describedby="days-hint days-error"');
    expect(out).toContain('<small id="days-error" class="field-error">Enter at least 30 days.</small>');
    expect(out).toContain('value="3"');
  });

  test("a field without an error is not marked, and a password is never echoed", () => {
    const out = html(<TextField name="secret" label="Secret" type="password" value="hunter2" idPrefix="api" />);
    expect(out).not.toContain("aria-invalid");
    expect(out).not.toContain("hunter2");
    expect(out).toContain('id="api-secret"');
  });

  test("selects keep the chosen option; checkboxes their state", () => {
    const select = html(
      <SelectField
        name="f"
        label="How often"
        value="weekly"
        options={[
          { value: "daily", label: "Daily" },
          { value: "weekly", label: "Weekly" },
        ]}
      />,
    );
    expect(select).toContain('<option value="weekly" selected="">Weekly</option>');
    expect(select).toContain('<option value="daily">Daily</option>');
    expect(html(<CheckboxField name="on" label="On" checked toggle />)).toContain('role="switch"');
    expect(html(<CheckboxField name="on" label="On" checked={false} />)).not.toContain("checked");
  });

  test("a group of choices is one field: its legend is the label, the fieldset is described by hint and error, and each choice is marked invalid", () => {
    const grades = ["1", "2"].map((grade) => ({ value: grade, label: `Grade ${grade}` }));
    const hint = "Classes of these grades are synced.";
    const out = html(
      <ChoiceGroup type="checkbox" name="grades" label="Grades" hint={hint} error="Choose at least one grade to sync." options={grades} chosen={["2"]} />,
    );
    expect(out).toContain('<fieldset aria-describedby="grades-hint grades-error"><legend>Grades</legend>');
    // The first choice carries the field's id: the problems notice links to #grades.
    expect(out).toContain('<label for="grades"><input id="grades" type="checkbox" name="grades" value="1" aria-invalid="true"/>Grade 1</label>');
    expect(out).toContain('<input id="grades-2" type="checkbox" name="grades" value="2" checked="" aria-invalid="true"/>');
    expect(out).toContain('<small id="grades-error" class="field-error">Choose at least one grade to sync.</small>');
    const radios = html(
      <ChoiceGroup type="radio" name="auth" label="Signing" options={[{ value: "oauth2", label: "OAuth 2" }]} chosen="oauth2" idPrefix="api" />,
    );
    expect(radios).toContain('<input id="api-auth" type="radio" name="auth" value="oauth2" checked=""/>');
    expect(radios).not.toContain("aria-invalid");
  });
});
