/**
 * The one way a route reads a form (or a query): @hono/zod-validator with an HTML answer. Its
 * default answer to bad input is JSON with 400, which htmx would swap into the page as text
 * (stack-notes 2, gotcha 2), so every use says how to render the problem: the field errors, and
 * what was sent, to echo back so nothing typed is lost.
 */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { z } from "zod";
import type { FieldErrors } from "../../views/components/forms.tsx";
import type { AppContext } from "./context.tsx";

/** What a form sent, text fields only (a file is never echoed back). */
export type FormInput = Record<string, string | string[]>;

export interface FormProblem {
  errors: FieldErrors;
  input: FormInput;
}

export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

export function inputOf(raw: unknown): FormInput {
  const input: FormInput = {};
  for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const texts = [value].flat().filter((item): item is string => typeof item === "string");
    if (texts.length) input[key] = Array.isArray(value) ? texts : texts[0]!;
  }
  return input;
}

/** The form as sent, for a route whose own checks (beyond the schema) send it back. */
export async function sentInput(c: AppContext): Promise<FormInput> {
  return inputOf(await c.req.parseBody({ all: true }));
}

/** A page number in a query: anything else is the first page. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).catch(1);

/**
 * A query whose every field falls back to a default (`.catch`), as links and bookmarks need:
 * it is never refused, so reaching onInvalid is a mistake in the schema.
 */
export function validatedQuery<Schema extends z.ZodType>(schema: Schema) {
  return validated("query", schema, () => {
    throw new Error("a query schema without a default for every field refused its input");
  });
}

export function validated<Schema extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: Schema,
  onInvalid: (c: AppContext, problem: FormProblem) => Response | Promise<Response>,
) {
  return zValidator(target, schema, (result, c) => {
    // The hook's context is typed with Hono's base Env; at run time it is this app's context.
    if (!result.success) return onInvalid(c as unknown as AppContext, { errors: fieldErrors(result.error.issues), input: inputOf(result.data) });
  });
}
