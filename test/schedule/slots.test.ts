/** Schedules as points in time: each frequency, daylight-saving changes, the off-peak rule. */
import { describe, expect, test } from "bun:test";
import { latestSlot, nextSlot, type Schedule, SLOT_GRACE_MS, slotDeadline, validateSchedule } from "../../src/schedule/slots.ts";

const daily = (timeOfDay: string): Schedule => ({ scheduleEnabled: true, frequency: "daily", weekday: 1, monthDay: 1, timeOfDay });
const offPeak = { start: "22:00", end: "05:00" };

describe("deadlines", () => {
  test("a slot inside the off-peak window may start until the window ends, in the organization's time zone", () => {
    // 23:00 in Chicago (winter, UTC-6) is 05:00 UTC; the window ends at 05:00 Chicago time, 11:00 UTC.
    const slot = new Date("2026-01-11T05:00:00Z");
    expect(slotDeadline(slot, daily("23:00"), "America/Chicago", offPeak).toISOString()).toBe("2026-01-11T11:00:00.000Z");
    const early = new Date("2026-01-11T02:00:00Z");
    expect(slotDeadline(early, daily("02:00"), "UTC", offPeak).toISOString()).toBe("2026-01-11T05:00:00.000Z");
  });

  test("a slot outside the window (a weekly one in the afternoon) may start within the grace period", () => {
    const slot = new Date("2026-01-14T14:00:00Z");
    expect(slotDeadline(slot, daily("14:00"), "UTC", offPeak).getTime()).toBe(slot.getTime() + SLOT_GRACE_MS);
  });
});

describe("slots", () => {
  test("daily at 23:15 in Chicago is 05:15 UTC in winter and 04:15 UTC in summer", () => {
    expect(nextSlot(daily("23:15"), "America/Chicago", new Date("2026-01-10T12:00:00Z"))!.toISOString()).toBe("2026-01-11T05:15:00.000Z");
    expect(nextSlot(daily("23:15"), "America/Chicago", new Date("2026-07-10T12:00:00Z"))!.toISOString()).toBe("2026-07-11T04:15:00.000Z");
  });

  test("across the spring change in London a daily 01:30 sync runs once a day, at 01:30 local time", () => {
    // Clocks go forward at 01:00 on 29 March 2026: 01:30 does not exist that night.
    const slots: string[] = [];
    let cursor = new Date("2026-03-27T12:00:00Z");
    for (let day = 0; day < 4; day++) {
      cursor = nextSlot(daily("01:30"), "Europe/London", cursor)!;
      slots.push(cursor.toISOString());
    }
    expect(slots[0]).toBe("2026-03-28T01:30:00.000Z");
    expect(slots.at(-1)).toBe("2026-03-31T00:30:00.000Z");
    // Never two runs within a few hours of each other around the change.
    for (let i = 1; i < slots.length; i++) expect(Date.parse(slots[i]!) - Date.parse(slots[i - 1]!)).toBeGreaterThan(20 * 3600_000);
  });

  test("across the autumn change in Chicago a daily 01:30 sync runs once, not twice", () => {
    // Clocks go back at 02:00 on 1 November 2026: 01:30 happens twice that night.
    const first = nextSlot(daily("01:30"), "America/Chicago", new Date("2026-11-01T00:00:00Z"))!;
    const second = nextSlot(daily("01:30"), "America/Chicago", first)!;
    expect(Date.parse(second.toISOString()) - Date.parse(first.toISOString())).toBeGreaterThan(20 * 3600_000);
  });

  test("weekly runs on the chosen weekday; monthly on the chosen day", () => {
    const weekly: Schedule = { scheduleEnabled: true, frequency: "weekly", weekday: 3, monthDay: 1, timeOfDay: "06:00" };
    const slot = nextSlot(weekly, "Europe/London", new Date("2026-11-24T12:00:00Z"))!;
    expect(slot.toISOString()).toBe("2026-11-25T06:00:00.000Z");
    expect(slot.getUTCDay()).toBe(3);
    const monthly: Schedule = { scheduleEnabled: true, frequency: "monthly", weekday: 0, monthDay: 28, timeOfDay: "07:45" };
    expect(nextSlot(monthly, "America/Chicago", new Date("2026-02-01T00:00:00Z"))!.toISOString()).toBe("2026-02-28T13:45:00.000Z");
  });

  test("the latest slot at or before a moment, and none when the schedule is off", () => {
    expect(latestSlot(daily("23:00"), "Europe/London", new Date("2026-11-24T23:30:00Z"))!.toISOString()).toBe("2026-11-24T23:00:00.000Z");
    expect(latestSlot(daily("23:00"), "Europe/London", new Date("2026-11-24T22:59:00Z"))!.toISOString()).toBe("2026-11-23T23:00:00.000Z");
    expect(latestSlot({ ...daily("23:00"), scheduleEnabled: false }, "Europe/London", new Date())).toBeNull();
  });
});

describe("validation", () => {
  test("a daily time outside the off-peak window is refused with the window in the message", () => {
    expect(validateSchedule(daily("14:00"), offPeak)).toBe(
      "Daily syncs must run outside school hours, between 22:00 and 05:00. Choose a time in that window, or a weekly or monthly sync.",
    );
  });

  test("daily times inside a window that wraps midnight are accepted", () => {
    for (const time of ["22:00", "23:59", "00:00", "04:59"]) expect(validateSchedule(daily(time), offPeak)).toBeNull();
    expect(validateSchedule(daily("05:00"), offPeak)).not.toBeNull();
  });

  test("weekly and monthly syncs may run at any time; days must exist in every month", () => {
    expect(validateSchedule({ ...daily("14:00"), frequency: "weekly" }, offPeak)).toBeNull();
    expect(validateSchedule({ ...daily("14:00"), frequency: "monthly", monthDay: 31 }, offPeak)).toContain("from 1 to 28");
    expect(validateSchedule(daily("25:00"), offPeak)).toContain("HH:MM");
  });
});
