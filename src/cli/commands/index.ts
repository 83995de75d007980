import type { CliCommand } from "../run.ts";
import { licenceAdd, orgCreate, orgList } from "./org.ts";
import { connect, sync, undo, yearEnd } from "./sync.ts";

/** Every command of `npx rollcall`, in the order --help lists them. */
export const commands: CliCommand[] = [orgCreate, orgList, licenceAdd, connect, sync, undo, yearEnd];
