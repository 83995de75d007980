/**
 * The operator log: one line per event, `level event key=value ...`. Callers pass ids and
 * counts, never names, emails, dates of birth or secrets (logs hold no personal data).
 */
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createLogger(minimum: Level = "info", write: (line: string) => void = (line) => console.log(line)): Logger {
  const emit =
    (level: Level) =>
    (event: string, fields: LogFields = {}) => {
      if (order[level] < order[minimum]) return;
      const pairs = Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
      write([new Date().toISOString(), level, event, ...pairs].join(" "));
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/**
 * What a log line may say about an error: its class and its code (a Postgres SQLSTATE such as
 * 23505, a system code such as ECONNREFUSED), and the same of its cause. Never its message:
 * Drizzle's "Failed query" message carries the query's parameters, and Postgres messages quote
 * values (`invalid input syntax for type uuid: "..."`), so a searched name or a sign-in email
 * would reach the log.
 */
export function errorFields(error: unknown): LogFields {
  const cause = error instanceof Error ? error.cause : undefined;
  return { error: className(error), code: codeOf(error) ?? codeOf(cause), cause: cause === undefined ? undefined : className(cause) };
}

function className(value: unknown): string {
  if (value instanceof Error) return value.constructor?.name && value.constructor.name !== "Error" ? value.constructor.name : value.name;
  return typeof value;
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : undefined;
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = createLogger("error", () => {});
