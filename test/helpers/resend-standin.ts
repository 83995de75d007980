/**
 * A stand-in for Resend's API on loopback, for the real SDK pointed at it with
 * RESEND_BASE_URL. It follows the documented behaviour the dispatcher relies on: POST /emails
 * needs a Bearer key, answers `{ id }`, honours `Idempotency-Key` (a repeat returns the first
 * answer and delivers nothing new), and reports errors as `{ statusCode, name, message }`.
 * Tests can make it fail the next requests, or lose its answer after delivering.
 */
import { serve } from "./collect.ts";

export interface RecordedRequest {
  idempotencyKey: string | null;
  authorization: string | null;
  body: { from: string; to: string | string[]; subject: string; text?: string; html?: string };
}

export interface ResendStandIn {
  url: string;
  /** Every request, in order, including failed ones. */
  requests: RecordedRequest[];
  /** Emails actually delivered, by idempotency key. */
  delivered: Map<string, RecordedRequest>;
  /** The next `count` requests get `status` without delivering. */
  failNext(count: number, status: number, name?: string): void;
  /** The next `count` requests are delivered but answered with a 500, as if the answer was lost. */
  loseAnswers(count: number): void;
  stop(): void;
}

const error = (statusCode: number, name: string, message: string, headers: Record<string, string> = {}) =>
  Response.json({ statusCode, name, message }, { status: statusCode, headers });

export function startResendStandIn(apiKey = "re_test_key"): ResendStandIn {
  const requests: RecordedRequest[] = [];
  const delivered = new Map<string, RecordedRequest>();
  const answers = new Map<string, string>();
  let failures: { count: number; status: number; name: string } = { count: 0, status: 500, name: "internal_server_error" };
  let lostAnswers = 0;

  const server = serve(async (request) => {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/emails") return error(404, "not_found", "The requested endpoint does not exist.");
    const recorded: RecordedRequest = {
      idempotencyKey: request.headers.get("idempotency-key"),
      authorization: request.headers.get("authorization"),
      body: (await request.json()) as RecordedRequest["body"],
    };
    requests.push(recorded);
    if (recorded.authorization !== `Bearer ${apiKey}`) return error(401, "invalid_api_key", "API key is invalid");
    if (!recorded.body.from || !recorded.body.to || !recorded.body.subject)
      return error(422, "missing_required_field", "Missing `from`, `to` or `subject` field.");
    if (failures.count > 0) {
      failures.count--;
      return error(failures.status, failures.name, "The stand-in was told to fail this request.", failures.status === 429 ? { "retry-after": "1" } : {});
    }
    const key = recorded.idempotencyKey ?? crypto.randomUUID();
    let id = answers.get(key);
    if (!id) {
      id = crypto.randomUUID();
      answers.set(key, id);
      delivered.set(key, recorded);
    }
    if (lostAnswers > 0) {
      lostAnswers--;
      return error(500, "internal_server_error", "Delivered, but the answer was lost.");
    }
    return Response.json({ id });
  });

  return {
    url: server.url,
    requests,
    delivered,
    failNext(count, status, name = status === 429 ? "rate_limit_exceeded" : "internal_server_error") {
      failures = { count, status, name };
    },
    loseAnswers(count) {
      lostAnswers = count;
    },
    stop: server.stop,
  };
}
