/**
 * `rollcall read`: reads a source without touching any database and prints what it holds,
 * counts per entity and every problem as `file:line field: message`. Exit 0 when the source
 * could be read (with problems or not), 2 when it could not.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { CountingSink, type Problem, ReadFailed, type ReadSummary } from "../../roster/snapshot.ts";
import { readClever } from "../../sources/clever/index.ts";
import { readOneRosterDirectory, readOneRosterZip } from "../../sources/oneroster/index.ts";
import { readOneRosterApi } from "../../sources/oneroster/rest.ts";
import { readWonde } from "../../sources/wonde/index.ts";
import { type CliCommand, requireString, UsageError } from "../run.ts";

const text = (values: Record<string, unknown>, flag: string) => (typeof values[flag] === "string" ? (values[flag] as string) : undefined);

/** --auth oauth2 (the default: a token from --token-url) or oauth1 (every request signed). */
export function oneRosterAuth(values: Record<string, unknown>): "oauth2" | "oauth1" {
  const auth = text(values, "auth") ?? "oauth2";
  if (auth !== "oauth2" && auth !== "oauth1") throw new UsageError(`--auth "${auth}" is not one of oauth2, oauth1`);
  return auth;
}

function readerFor(values: Record<string, unknown>): (sink: CountingSink) => Promise<ReadSummary> {
  const source = requireString(values, "source");
  if (source === "oneroster") {
    const file = text(values, "file");
    if (file) {
      const path = resolve(file);
      if (!existsSync(path)) throw new UsageError(`--file "${file}" does not exist`);
      return (sink) => (statSync(path).isDirectory() ? readOneRosterDirectory(path, sink) : readOneRosterZip(path, sink));
    }
    const auth = oneRosterAuth(values);
    const connection = {
      baseUrl: requireString(values, "base-url"),
      auth,
      tokenUrl: auth === "oauth2" ? requireString(values, "token-url") : undefined,
      clientId: requireString(values, "client-id"),
      clientSecret: requireString(values, "client-secret"),
    };
    return (sink) => readOneRosterApi(connection, sink);
  }
  if (source === "clever") {
    const connection = {
      districtId: requireString(values, "district"),
      clientId: requireString(values, "client-id"),
      clientSecret: requireString(values, "client-secret"),
      apiBaseUrl: text(values, "base-url"),
      oauthBaseUrl: text(values, "oauth-url"),
    };
    return (sink) => readClever(connection, sink);
  }
  if (source === "wonde") {
    const connection = { schoolId: requireString(values, "school"), token: requireString(values, "token"), baseUrl: text(values, "base-url") };
    return (sink) => readWonde(connection, sink);
  }
  throw new UsageError(`--source "${source}" is not one of clever, oneroster, wonde`);
}

export function formatProblem(problem: Problem): string {
  const where = [problem.file, problem.line].filter((part) => part !== undefined).join(":");
  return `${where}${problem.field ? ` ${problem.field}` : ""}: ${problem.severity === "error" ? "error: " : ""}${problem.message}`;
}

export const read: CliCommand = {
  name: ["read"],
  summary: "read a roster source and print its counts and problems (changes nothing)",
  usage: [
    "--source oneroster --file ROSTER.zip [--json]",
    "--source oneroster --base-url URL --token-url URL --client-id ID --client-secret SECRET [--json]",
    "--source oneroster --base-url URL --auth oauth1 --client-id ID --client-secret SECRET [--json]",
    "--source clever --district DISTRICT_ID --client-id ID --client-secret SECRET [--base-url URL] [--oauth-url URL] [--json]",
    "--source wonde --school SCHOOL_ID --token TOKEN [--base-url URL] [--json]",
    "",
    "Exit 0 when the source could be read (problems or not), 2 when it could not.",
  ].join("\n"),
  options: Object.fromEntries([
    ...["source", "file", "base-url", "token-url", "auth", "client-id", "client-secret", "district", "oauth-url", "school", "token"].map((flag) => [
      flag,
      { type: "string" as const },
    ]),
    ["json", { type: "boolean" as const }],
  ]),
  async run({ values, io }) {
    const reader = readerFor(values);
    const sink = new CountingSink();
    try {
      await reader(sink);
    } catch (error) {
      if (!(error instanceof ReadFailed)) throw error;
      if (values.json) io.out(JSON.stringify({ error: error.message, ...(error.file ? { file: error.file } : {}) }));
      io.err(`The source could not be read: ${error.message}`);
      return 2;
    }
    if (values.json) {
      const problems = sink.problems.map((problem) => ({
        file: problem.file ?? null,
        line: problem.line ?? null,
        field: problem.field ?? null,
        severity: problem.severity,
        message: problem.message,
      }));
      io.out(JSON.stringify({ counts: sink.counts, problems }));
      return 0;
    }
    for (const [entity, count] of Object.entries(sink.counts)) io.out(`${entity.padEnd(18)}${String(count).padStart(10)}`);
    if (sink.problems.length) io.out("");
    for (const problem of sink.problems) io.out(formatProblem(problem));
    return 0;
  },
};
