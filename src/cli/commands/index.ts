import type { CliCommand } from "../run.ts";

/** Every command of `npx rollcall`, in the order --help lists them. */
export const commands: CliCommand[] = [];
