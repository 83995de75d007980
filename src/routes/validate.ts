/**
 * @hono/zod-validator with an HTML answer. Its default answer to bad input is JSON with 400,
 * which htmx would swap into the page as text (stack-notes 2, gotcha 2), so every use goes
 * through here and says how to render the problem (status 422).
 */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import type { FieldErrors } from "../../views/components/field-errors.ts";
import type { AppContext } from "./context.tsx";

export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

export function validated<Schema extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: Schema,
  onInvalid: (c: AppContext, errors: FieldErrors) => Response | Promise<Response>,
) {
  return zValidator(target, schema, (result, c) => {
    // The hook's context is typed with Hono's base Env; at run time it is this app's context.
    if (!result.success) return onInvalid(c as unknown as AppContext, fieldErrors(result.error.issues));
  });
}
