import type { CliCommand } from "../run.ts";
import { demoOneRoster } from "./demo.ts";
import { exportCommand, learnerErase, orgErase } from "./lifecycle.ts";
import { match } from "./match.ts";
import { licenceAdd, orgCreate, orgList } from "./org.ts";
import { read } from "./read.ts";
import { connect, sync, undo, yearEnd } from "./sync.ts";

/** Every command of `npx rollcall`, in the order --help lists them. */
export const commands: CliCommand[] = [
  orgCreate,
  orgList,
  licenceAdd,
  read,
  connect,
  sync,
  undo,
  yearEnd,
  exportCommand,
  learnerErase,
  orgErase,
  match,
  demoOneRoster,
];
