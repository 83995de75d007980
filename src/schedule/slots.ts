/**
 * An organization's schedule as points in time (ARCHITECTURE.md, "Settings"). The cron arithmetic,
 * time zones and daylight-saving changes are croner's; this file only turns the settings
 * into a pattern and checks them.
 */
import { Cron } from "croner";

/** A slot outside the off-peak window may start at most this late (when every process was busy or down). */
export const SLOT_GRACE_MS = 60 * 60_000;

export type Frequency = "daily" | "weekly" | "monthly";

export interface Schedule {
  scheduleEnabled: boolean;
  frequency: Frequency;
  /** 0 = Sunday .. 6 = Saturday. */
  weekday: number;
  /** 1..28, so every month has the day. */
  monthDay: number;
  /** HH:MM in the organization's time zone. */
  timeOfDay: string;
}

export interface OffPeak {
  start: string;
  end: string;
}

const minutesOf = (clock: string) => {
  const [hours, minutes] = clock.split(":").map(Number) as [number, number];
  return hours * 60 + minutes;
};

/** Whether HH:MM falls in a window that may wrap midnight (22:00 to 05:00). */
export function insideWindow(clock: string, window: OffPeak): boolean {
  const at = minutesOf(clock);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  return start <= end ? at >= start && at < end : at >= start || at < end;
}

/** A problem in the admin's words, or null when the schedule is acceptable. */
export function validateSchedule(schedule: Schedule, offPeak: OffPeak): string | null {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(schedule.timeOfDay)) return "Enter the time as HH:MM, for example 02:30.";
  if (schedule.frequency === "weekly" && !(Number.isInteger(schedule.weekday) && schedule.weekday >= 0 && schedule.weekday <= 6))
    return "Choose a day of the week.";
  if (schedule.frequency === "monthly" && !(Number.isInteger(schedule.monthDay) && schedule.monthDay >= 1 && schedule.monthDay <= 28)) {
    return "Choose a day of the month from 1 to 28, so that every month has it.";
  }
  if (schedule.scheduleEnabled && schedule.frequency === "daily" && !insideWindow(schedule.timeOfDay, offPeak)) {
    return `Daily syncs must run outside school hours, between ${offPeak.start} and ${offPeak.end}. Choose a time in that window, or a weekly or monthly sync.`;
  }
  return null;
}

function patternOf(schedule: Schedule): string {
  const [hours, minutes] = schedule.timeOfDay.split(":").map(Number) as [number, number];
  if (schedule.frequency === "weekly") return `${minutes} ${hours} * * ${schedule.weekday}`;
  if (schedule.frequency === "monthly") return `${minutes} ${hours} ${schedule.monthDay} * *`;
  return `${minutes} ${hours} * * *`;
}

function cronOf(schedule: Schedule, timeZone: string): Cron {
  return new Cron(patternOf(schedule), { timezone: timeZone, paused: true });
}

/** The first slot strictly after `after`, or null when the schedule is off. */
export function nextSlot(schedule: Schedule, timeZone: string, after: Date): Date | null {
  if (!schedule.scheduleEnabled) return null;
  const cron = cronOf(schedule, timeZone);
  try {
    return cron.nextRun(after);
  } finally {
    cron.stop();
  }
}

/**
 * The latest slot at or before `at` (within `lookBackDays`), or null. Found by walking
 * forward from the look-back point, since croner only counts forwards.
 */
export function latestSlot(schedule: Schedule, timeZone: string, at: Date, lookBackDays = 32): Date | null {
  if (!schedule.scheduleEnabled) return null;
  const cron = cronOf(schedule, timeZone);
  try {
    let found: Date | null = null;
    let cursor = new Date(at.getTime() - lookBackDays * 86_400_000);
    for (;;) {
      const next = cron.nextRun(cursor);
      if (!next || next.getTime() > at.getTime()) return found;
      found = next;
      cursor = next;
    }
  } finally {
    cron.stop();
  }
}

/**
 * The latest a slot may start. A slot inside the off-peak window may wait until the window
 * ends, so syncs that queue behind others still run outside school hours; a slot outside it
 * (a weekly or monthly one during the day) within SLOT_GRACE_MS.
 */
export function slotDeadline(slot: Date, schedule: Pick<Schedule, "timeOfDay">, timeZone: string, offPeak: OffPeak): Date {
  if (!insideWindow(schedule.timeOfDay, offPeak)) return new Date(slot.getTime() + SLOT_GRACE_MS);
  const [hours, minutes] = offPeak.end.split(":").map(Number) as [number, number];
  const windowEnd = new Cron(`${minutes} ${hours} * * *`, { timezone: timeZone, paused: true });
  try {
    return windowEnd.nextRun(slot)!;
  } finally {
    windowEnd.stop();
  }
}
