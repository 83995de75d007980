/**
 * The environment, parsed once with zod. A bad value stops start-up with one line that
 * names the variable (acceptance: "a bad environment value stops start-up with a one-line
 * message naming the variable").
 *
 * Two modes:
 * - embedded (no DATABASE_URL): PGlite under DATA_DIR; missing secrets are generated once
 *   and kept in DATA_DIR/secrets.json so sessions and encrypted connection secrets survive
 *   a restart;
 * - server (DATABASE_URL set): every secret must be given.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { CleverApp } from "./sources/clever/index.ts";
import type { WondeApp } from "./sources/wonde/app.ts";
import type { AddressPolicy } from "./sources/http/outbound.ts";

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day as HH:MM, for example 22:00");

export const DEFAULT_OFF_PEAK = { start: "22:00", end: "05:00" } as const;
export const DEFAULT_SYNC_CONCURRENCY = 2;

const secret = z.string().min(32, "must be at least 32 characters (for example: openssl rand -hex 32)");

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const environment = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .refine((url) => URL.canParse(url), "must be a URL such as postgres://user:password@host:5432/database")
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url("must be a full URL such as https://rollcall.example.org").optional()),
  SESSION_SECRET: z.preprocess(emptyAsUndefined, secret.optional()),
  ENCRYPTION_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (32 bytes; for example: openssl rand -hex 32)")
      .optional(),
  ),
  RESEND_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  RESEND_BASE_URL: z.preprocess(emptyAsUndefined, z.url("must be a full URL").optional()),
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().default("Rollcall <rollcall@localhost>")),
  OFF_PEAK_START: z.preprocess(emptyAsUndefined, clock.default(DEFAULT_OFF_PEAK.start)),
  OFF_PEAK_END: z.preprocess(emptyAsUndefined, clock.default(DEFAULT_OFF_PEAK.end)),
  SYNC_CONCURRENCY: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number("must be a whole number from 1 to 64")
      .int("must be a whole number from 1 to 64")
      .min(1, "must be at least 1")
      .max(64, "must be at most 64")
      .default(DEFAULT_SYNC_CONCURRENCY),
  ),
  MAIL_DAILY_CAP: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(200)),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["debug", "info", "warn", "error"]).default("info")),
  MAX_UPLOAD_MB: z.preprocess(emptyAsUndefined, z.coerce.number().int("must be a whole number of megabytes").min(1).max(100_000).default(500)),
  ALLOW_PRIVATE_SOURCE_URLS: z.preprocess(emptyAsUndefined, z.enum(["0", "1"], "must be 0 or 1").default("0")),
  CLEVER_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  CLEVER_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  CLEVER_API_URL: z.preprocess(emptyAsUndefined, z.url("must be a full URL such as https://api.clever.com").optional()),
  CLEVER_OAUTH_URL: z.preprocess(emptyAsUndefined, z.url("must be a full URL such as https://clever.com").optional()),
  SUPPORT_EMAIL: z.preprocess(emptyAsUndefined, z.email("must be an email address, such as support@example.org").optional()),
  WONDE_APP_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  WONDE_API_URL: z.preprocess(emptyAsUndefined, z.url("must be a full URL such as https://api.wonde.com/v1.0").optional()),
});

export interface Config {
  port: number;
  /** undefined: embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string | undefined;
  sessionSecret: string;
  /** 32 bytes for AES-256-GCM, hex. */
  encryptionKey: string;
  resendApiKey: string | undefined;
  resendBaseUrl: string | undefined;
  mailFrom: string;
  offPeak: { start: string; end: string };
  /** How many syncs the scheduler lets this process run at once. */
  syncConcurrency: number;
  mailDailyCap: number;
  logLevel: "debug" | "info" | "warn" | "error";
  embedded: boolean;
  /** The largest upload the server receives (a roster zip). */
  maxUploadBytes: number;
  /**
   * Where sources may be reached: public https addresses only, unless ALLOW_PRIVATE_SOURCE_URLS=1.
   * main.ts adds the embedded demo district's own address to `trustedPrefixes` once it listens.
   */
  sourceAddresses: AddressPolicy & { trustedPrefixes: string[] };
  /**
   * The operator's vendor apps. An admin gives only the district's ID; the app's credentials
   * are the operator's. In embedded mode without them, main.ts points Clever at the demo district
   * and Wonde at the demo UK school.
   */
  vendors: VendorApps;
  /** Where admins write with questions: said in every email about a sync. */
  supportEmail: string | undefined;
}

export interface VendorApps {
  clever?: CleverApp | undefined;
  wonde?: WondeApp | undefined;
}

export class ConfigError extends Error {}

/**
 * Parses the environment; throws ConfigError with a one-line message naming the variable and
 * never quoting its value (a database URL holds a password, a secret is a secret).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`${name} ${issue.message.replace(/^Invalid input: /, "")}`);
  }
  const values = parsed.data;
  const embedded = values.DATABASE_URL === undefined;
  // The container image sets this: a container's embedded database would vanish with it.
  if (embedded && env.ROLLCALL_REQUIRE_DATABASE_URL === "1") {
    throw new ConfigError("DATABASE_URL is required here (postgres://user:password@host:5432/database)");
  }
  const dataDir = resolve(values.DATA_DIR);
  const secrets = embedded
    ? embeddedSecrets(dataDir, values.SESSION_SECRET, values.ENCRYPTION_KEY)
    : requiredSecrets(values.SESSION_SECRET, values.ENCRYPTION_KEY);
  return {
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    dataDir,
    publicUrl: values.PUBLIC_URL?.replace(/\/$/, ""),
    sessionSecret: secrets.sessionSecret,
    encryptionKey: secrets.encryptionKey,
    resendApiKey: values.RESEND_API_KEY,
    resendBaseUrl: values.RESEND_BASE_URL,
    mailFrom: values.MAIL_FROM,
    offPeak: { start: values.OFF_PEAK_START, end: values.OFF_PEAK_END },
    syncConcurrency: values.SYNC_CONCURRENCY,
    mailDailyCap: values.MAIL_DAILY_CAP,
    logLevel: values.LOG_LEVEL,
    embedded,
    maxUploadBytes: values.MAX_UPLOAD_MB * 1024 * 1024,
    sourceAddresses: { allowPrivate: values.ALLOW_PRIVATE_SOURCE_URLS === "1", trustedPrefixes: [] },
    vendors: { clever: cleverApp(values), wonde: wondeApp(values) },
    supportEmail: values.SUPPORT_EMAIL,
  };
}

function wondeApp(values: z.infer<typeof environment>): WondeApp | undefined {
  if (!values.WONDE_APP_TOKEN) {
    if (values.WONDE_API_URL) throw new ConfigError("WONDE_APP_TOKEN is required with WONDE_API_URL (the Wonde app's token)");
    return undefined;
  }
  return { token: values.WONDE_APP_TOKEN, apiUrl: values.WONDE_API_URL };
}

function cleverApp(values: z.infer<typeof environment>): CleverApp | undefined {
  const { CLEVER_CLIENT_ID: clientId, CLEVER_CLIENT_SECRET: clientSecret } = values;
  if (!clientId && !clientSecret) return undefined;
  if (!clientId) throw new ConfigError("CLEVER_CLIENT_ID is required with CLEVER_CLIENT_SECRET (both are the Clever app's credentials)");
  if (!clientSecret) throw new ConfigError("CLEVER_CLIENT_SECRET is required with CLEVER_CLIENT_ID (both are the Clever app's credentials)");
  return { clientId, clientSecret, apiUrl: values.CLEVER_API_URL, oauthUrl: values.CLEVER_OAUTH_URL };
}

function requiredSecrets(sessionSecret: string | undefined, encryptionKey: string | undefined) {
  if (!sessionSecret) throw new ConfigError("SESSION_SECRET is required when DATABASE_URL is set");
  if (!encryptionKey) throw new ConfigError("ENCRYPTION_KEY is required when DATABASE_URL is set");
  return { sessionSecret, encryptionKey };
}

/** Generated once per data directory; given values always win. */
function embeddedSecrets(dataDir: string, sessionSecret: string | undefined, encryptionKey: string | undefined) {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "secrets.json");
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const generated = {
    sessionSecret: kept.sessionSecret ?? randomBytes(32).toString("hex"),
    encryptionKey: kept.encryptionKey ?? randomBytes(32).toString("hex"),
  };
  if (kept.sessionSecret !== generated.sessionSecret || kept.encryptionKey !== generated.encryptionKey) {
    writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return {
    sessionSecret: sessionSecret ?? generated.sessionSecret,
    encryptionKey: encryptionKey ?? generated.encryptionKey,
  };
}
