/**
 * Reading one page of a JSON API the way a roster source needs: rate limits honoured,
 * 429 / 5xx / time-outs retried with jittered backoff, HTML or truncated bodies recognised.
 * A page that cannot be read after the retries is a failed read (ReadFailed): a snapshot
 * with a missing page must never be mistaken for a smaller roster.
 */
import { ReadFailed, type FailureCause } from "../../roster/snapshot.ts";
import { type AddressPolicy, fetchSource, policyFromEnvironment, type SourceRequest } from "./outbound.ts";

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest wait for a rate-limit reset before the read gives up. */
  maxRateLimitWaitMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 15_000, maxRateLimitWaitMs: 120_000, timeoutMs: 60_000 };

export interface FetchOptions {
  headers: SourceRequest["headers"];
  /** Where the source may be reached; the operator's setting when not given. */
  addresses?: AddressPolicy | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  signal?: AbortSignal | undefined;
  /** The source's name for messages ("Clever", "Wonde"). */
  source: string;
  /** Turns a refusal (400-level other than 429) into the admin's words. */
  refusal?: ((status: number, body: string) => string | undefined) | undefined;
  /** Whose move a refusal waits for (ReadFailed's failure): the organization's settings unless said otherwise. */
  blame?: ((status: number) => FailureCause) | undefined;
}

/** A status the caller may want to handle itself (404 for an unshared record, say). */
export class HttpStatusError extends ReadFailed {
  constructor(
    message: string,
    readonly status: number,
    detail: string,
  ) {
    super(message, detail);
    this.name = "HttpStatusError";
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** Exponential backoff with full jitter, so many clients retrying do not retry together. */
const backoff = (attempt: number, policy: RetryPolicy) => Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);

function rateLimitWait(response: Response, now: number): number | null {
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const reset = response.headers.get("x-ratelimit-reset");
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now) + 250;
  return null;
}

/** Where a response's path is, without the query (no personal data in logs or messages). */
const pathOf = (url: string) => new URL(url).pathname;

export async function fetchJson<T>(url: string, options: FetchOptions): Promise<{ body: T; headers: Headers }> {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const addresses = options.addresses ?? policyFromEnvironment();
  const headers = options.headers;
  const withAccept =
    typeof headers === "function" ? (target: string) => ({ Accept: "application/json", ...headers(target) }) : { Accept: "application/json", ...headers };
  const path = pathOf(url);
  let lastProblem = "";
  // Failures (5xx, time-outs) count against the attempts; waiting out a rate limit does not,
  // up to a bound, since the source told us exactly when to come back.
  let failures = 0;
  let rateLimitWaits = 0;
  while (failures < policy.attempts && rateLimitWaits < 30) {
    const attempt = failures;
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(policy.timeoutMs);
      response = await fetchSource(
        url,
        { headers: withAccept, source: options.source, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout },
        addresses,
      );
    } catch (error) {
      // A refused address, or a source that redirects without end: trying again changes nothing.
      if (error instanceof ReadFailed) throw error;
      if (options.signal?.aborted) throw new ReadFailed(`Reading from ${options.source} was stopped.`, "aborted", path);
      lastProblem = `${(error as Error).name}: ${(error as Error).message}`;
      failures++;
      await sleep(backoff(attempt, policy), options.signal);
      continue;
    }

    if (response.status === 429) {
      const wait = rateLimitWait(response, Date.now()) ?? backoff(attempt, policy);
      await response.body?.cancel();
      if (wait > policy.maxRateLimitWaitMs) {
        throw new ReadFailed(
          `${options.source} asked us to slow down for longer than we wait. The next sync will try again.`,
          `429 on ${path}, reset in ${wait} ms`,
          path,
        );
      }
      lastProblem = `429 on ${path}`;
      rateLimitWaits++;
      await sleep(wait, options.signal);
      continue;
    }
    if (response.status >= 500) {
      lastProblem = `${response.status} on ${path}: ${(await response.text().catch(() => "")).slice(0, 200)}`;
      failures++;
      await sleep(backoff(attempt, policy), options.signal);
      continue;
    }
    const text = await readBody(response, path, options.source);
    if (response.status >= 400) {
      const message = options.refusal?.(response.status, text) ?? `${options.source} refused the request (${response.status}) for ${path}.`;
      throw new HttpStatusError(message, response.status, `${response.status} on ${path}: ${text.slice(0, 200)}`).because(
        options.blame?.(response.status) ?? "settings",
      );
    }
    const contentType = response.headers.get("content-type") ?? "";
    if (!contentType.includes("json") && /^\s*</.test(text)) {
      throw new ReadFailed(
        `${options.source} sent a web page instead of roster data for ${path}, so the sync stopped without changing anything.`,
        `HTML body on ${path}: ${text.slice(0, 200)}`,
        path,
      );
    }
    try {
      return { body: JSON.parse(text) as T, headers: response.headers };
    } catch {
      throw new ReadFailed(
        `A page of roster data from ${options.source} (${path}) arrived incomplete, so the sync stopped without changing anything. It will try again.`,
        `unparseable JSON on ${path} (${text.length} bytes)`,
        path,
      );
    }
  }
  throw new ReadFailed(
    `${options.source} did not answer properly after several tries, so the sync stopped without changing anything. It will try again later.`,
    lastProblem,
    path,
  ).because("unreachable");
}

async function readBody(response: Response, path: string, source: string): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw new ReadFailed(
      `A page of roster data from ${source} (${path}) was cut off, so the sync stopped without changing anything.`,
      (error as Error).message,
      path,
    );
  }
}
