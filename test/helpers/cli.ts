import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const cliPath = fileURLToPath(new URL("../../src/cli/rollcall.ts", import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `rollcall ...args` in a child process, as an operator would. */
export async function runRollcall(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const child = Bun.spawn([process.execPath, cliPath, ...args], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { exitCode, stdout, stderr };
}

/** An environment for CLI runs against `databaseUrl`, or a fresh embedded data dir. */
export function cliEnvironment(databaseUrl: string | undefined): Record<string, string | undefined> {
  return databaseUrl
    ? { DATABASE_URL: databaseUrl, SESSION_SECRET: "c".repeat(40), ENCRYPTION_KEY: "b".repeat(64), DATA_DIR: mkdtempSync(join(tmpdir(), "rollcall-cli-")) }
    : { DATABASE_URL: "", DATA_DIR: mkdtempSync(join(tmpdir(), "rollcall-cli-")) };
}
