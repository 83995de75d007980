/**
 * Sync Now (ARCHITECTURE.md, "Settings"): a one-time sync. Afterwards it is unavailable until the
 * next scheduled sync has run, unless the last run failed. With no schedule there is no next
 * scheduled sync, so the button comes back a day after the last Sync Now instead: a district
 * cannot hammer its source, and a school without a schedule can still sync daily.
 */
import { nextSlot, type Schedule } from "./slots.ts";

export interface RunSummary {
  trigger: string;
  status: string;
  createdAt: Date;
}

export type Availability = { available: true } | { available: false; reason: string; availableAt: Date | null };

export const WITHOUT_SCHEDULE_MS = 24 * 60 * 60 * 1000;
const ACTIVE = new Set(["fetching", "planned", "applying"]);

const when = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }).format(date);

/** `runs` newest first; dry runs excluded by the caller. */
export function syncNowAvailability(input: { schedule: Schedule; timeZone: string; runs: readonly RunSummary[]; now: Date }): Availability {
  const [latest] = input.runs;
  if (latest && ACTIVE.has(latest.status))
    return { available: false, reason: "A sync is running now. You can start another when it has finished.", availableAt: null };
  if (!latest || latest.status === "failed") return { available: true };
  const lastSyncNow = input.runs.find((run) => run.trigger === "sync_now" && run.status !== "cancelled");
  if (!lastSyncNow) return { available: true };
  const scheduledSince = input.runs.some((run) => run.trigger === "scheduled" && run.createdAt > lastSyncNow.createdAt && !ACTIVE.has(run.status));
  if (scheduledSince) return { available: true };
  if (input.schedule.scheduleEnabled) {
    const next = nextSlot(input.schedule, input.timeZone, lastSyncNow.createdAt);
    const back = next && next > input.now ? next : null;
    return {
      available: false,
      reason: back
        ? `You already started a sync. Sync Now comes back after the next scheduled sync, on ${when(back, input.timeZone)}.`
        : "You already started a sync. Sync Now comes back once the scheduled sync has run.",
      availableAt: back,
    };
  }
  const back = new Date(lastSyncNow.createdAt.getTime() + WITHOUT_SCHEDULE_MS);
  if (back <= input.now) return { available: true };
  return {
    available: false,
    reason: `You already started a sync today. With no schedule set, Sync Now comes back a day later, on ${when(back, input.timeZone)}.`,
    availableAt: back,
  };
}
