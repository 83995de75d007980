/**
 * What every request's input must be before a route sees it: a small body (counted as it
 * arrives, never read whole first), a form that parses, and no NUL character, which Postgres
 * cannot store in text. Each refusal is a page in the layout that says what was wrong.
 */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { ErrorPage } from "../../views/errors.tsx";
import { ROSTER_UPLOAD_PATH } from "./receive-upload.ts";
import { type AppContext, type AppEnv, renderPage } from "./context.tsx";

/** Forms, sign-in and every other body but the roster upload. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The one route that takes a large body: the OneRoster zip upload streams the file to disk
 * and enforces its own limit (src/routes/receive-upload.ts), so it is exempt from the small
 * limit and from reading the form here. Only a POST to exactly this path is exempt.
 */
const isStreamedUpload = (c: AppContext) => c.req.method === "POST" && c.req.path === ROSTER_UPLOAD_PATH;

const FORM_TYPES = new Set(["multipart/form-data", "application/x-www-form-urlencoded"]);

function tooLarge(c: AppContext) {
  const message = `That was more than Rollcall accepts from a form (${FORM_BODY_LIMIT_BYTES / 1024} KB), so nothing was saved. Go back and shorten what you entered. Roster files are uploaded on the Roster source page.`;
  return renderPage(c, { title: "Too large", status: 413 }, <ErrorPage status={413} message={message} />);
}

/**
 * hono/body-limit refuses a body whose Content-Length is over the limit before reading any of
 * it, and counts a body without one (chunked) as it streams, refusing at the limit; Bun's
 * server never hands over more bytes than a Content-Length says.
 */
const smallBody = bodyLimit({ maxSize: FORM_BODY_LIMIT_BYTES, onError: tooLarge });

export const limitBody = createMiddleware<AppEnv>(async (c, next) => {
  if (isStreamedUpload(c)) return next();
  return smallBody(c, next);
});

const NUL = "\u0000";

const refuse = (message: string) => new HTTPException(400, { message });

/** A form that arrived cut off or damaged: a 400 page that says so (also thrown by the roster upload, which reads its own body). */
export const unreadableForm = () => refuse(UNREADABLE_FORM);

export const UNREADABLE_FORM =
  "The form could not be read: it arrived incomplete or damaged, so nothing was saved. Go back, reload the page and send it again.";
const NUL_CHARACTER =
  "What was sent contains an invisible control character (a null character) that Rollcall cannot store, so nothing was saved. Type the text again instead of pasting it, and send it again.";

/** Parses a form once (routes and validators then read it from Hono's cache) and refuses NUL anywhere. */
export const readableInput = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.path.includes(NUL) || Object.entries(c.req.queries()).some(([key, values]) => key.includes(NUL) || values.some((value) => value.includes(NUL)))) {
    throw refuse(NUL_CHARACTER);
  }
  const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (isStreamedUpload(c) || !FORM_TYPES.has(mediaType)) return next();
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw unreadableForm();
  }
  for (const [key, value] of Object.entries(form)) {
    const texts = [key, ...[value].flat().filter((item): item is string => typeof item === "string")];
    if (texts.some((text) => text.includes(NUL))) throw refuse(NUL_CHARACTER);
  }
  await next();
});
