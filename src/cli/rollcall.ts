#!/usr/bin/env bun
/**
 * `npx rollcall <command>`: the operator's command line. Each command lives in its own
 * file under src/cli/commands and exports a CliCommand. Exit codes: 0 done, 1 failed,
 * 2 wrong usage or unreadable input.
 */
import { commands } from "./commands/index.ts";
import { runCli } from "./run.ts";

process.exitCode = await runCli(commands, process.argv.slice(2), {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
});
