/**
 * Which read a run makes (Clever's advice, reference/clever.md "Events"): a full read must
 * always work, and between full reads a scheduled sync reads only what changed since the
 * cursor. A full read comes the first time, whenever someone starts the sync, at least every
 * `fullReadEveryDays`, after a failed sync (an incremental read that failed may have missed
 * changes), and when the cursor is older than the 30 days Clever keeps events.
 */
import type { ReadReason, RunTrigger } from "../../db/schema/sync.ts";

export const CURSOR_MAX_AGE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ReadHistory {
  /** The connection's cursor, and when the run that recorded it started. */
  cursor: string | null;
  cursorAt: Date | null;
  /** When the last full read that was applied started. */
  lastFullReadAt: Date | null;
  /** The organization's last finished sync failed. */
  lastRunFailed: boolean;
}

export interface ReadChoice {
  changesOnly: boolean;
  reason: ReadReason;
}

export function chooseRead(input: {
  trigger: RunTrigger;
  /** The connection can read only changes (Clever events, Wonde's updated_after, a OneRoster API's dateLastModified filter). */
  canReadChanges: boolean;
  history: ReadHistory;
  fullReadEveryDays: number;
  now: Date;
}): ReadChoice {
  const { history, now } = input;
  const full = (reason: ReadReason): ReadChoice => ({ changesOnly: false, reason });
  if (!history.lastFullReadAt) return full("first");
  if (!input.canReadChanges || !history.cursor || !history.cursorAt) return full("no_feed");
  if (input.trigger !== "scheduled") return full("asked");
  if (history.lastRunFailed) return full("after_failure");
  if (now.getTime() - history.cursorAt.getTime() > CURSOR_MAX_AGE_DAYS * DAY_MS) return full("cursor_old");
  if (now.getTime() - history.lastFullReadAt.getTime() >= input.fullReadEveryDays * DAY_MS) return full("due");
  return { changesOnly: true, reason: "changes" };
}
