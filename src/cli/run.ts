import { parseArgs, type ParseArgsConfig } from "node:util";

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export type CliOptions = NonNullable<ParseArgsConfig["options"]>;

/** What a command receives: parsed flags, positional words and where to print. */
export interface CliContext<Values> {
  values: Values;
  positionals: string[];
  io: CliIO;
}

export interface CliCommand {
  /** Words that select the command, e.g. ["org", "create"]. */
  name: string[];
  summary: string;
  /** Shown by --help after the usage line. */
  usage: string;
  options: CliOptions;
  run(ctx: CliContext<Record<string, string | boolean | string[] | undefined>>): Promise<number>;
}

/** A wrong argument: printed as one line, exit code 2. */
export class UsageError extends Error {}

export async function runCli(commands: CliCommand[], argv: string[], io: CliIO): Promise<number> {
  const command = findCommand(commands, argv);
  if (!command) {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      io.out(overview(commands));
      return 0;
    }
    io.err(`rollcall: unknown command "${argv.join(" ")}". Run "rollcall --help" to see the commands.`);
    return 2;
  }
  const rest = argv.slice(command.name.length);
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(help(command));
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`rollcall ${command.name.join(" ")}: ${parseProblem(error)} (see --help)`);
    return 2;
  }
  try {
    return await command.run({
      values: parsed.values as Record<string, string | boolean | string[] | undefined>,
      positionals: parsed.positionals,
      io,
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`rollcall ${command.name.join(" ")}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

function findCommand(commands: CliCommand[], argv: string[]): CliCommand | undefined {
  return [...commands].sort((a, b) => b.name.length - a.name.length).find((command) => command.name.every((word, index) => argv[index] === word));
}

function overview(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.join(" ").length));
  const lines = commands.map((command) => `  ${command.name.join(" ").padEnd(width)}  ${command.summary}`);
  return ["Usage: rollcall <command> [options]", "", "Commands:", ...lines, "", 'Run "rollcall <command> --help" for its options.'].join("\n");
}

function help(command: CliCommand): string {
  return `Usage: rollcall ${command.name.join(" ")} ${command.usage}`;
}

/** node:util's messages are long and technical; the common ones get shorter words. */
function parseProblem(error: unknown): string {
  const unknown = error instanceof Error ? error.message.match(/^Unknown option '([^']+)'/) : null;
  return unknown ? `unknown option ${unknown[1]}` : firstLine(error);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

/** Reads a required string flag or throws a UsageError naming it. */
export function requireString(values: Record<string, unknown>, flag: string): string {
  const value = values[flag];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${flag} is required`);
  return value;
}
