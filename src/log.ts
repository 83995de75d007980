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
  const emit = (level: Level) => (event: string, fields: LogFields = {}) => {
    if (order[level] < order[minimum]) return;
    const pairs = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
    write([new Date().toISOString(), level, event, ...pairs].join(" "));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = createLogger("error", () => {});
