/** Sync Now availability (ARCHITECTURE.md, "Settings"), for each situation the rule names. */
import { expect, test } from "bun:test";
import { syncNowAvailability, type RunSummary } from "../../src/schedule/availability.ts";
import type { Schedule } from "../../src/schedule/slots.ts";

const schedule: Schedule = { scheduleEnabled: true, frequency: "daily", weekday: 1, monthDay: 1, timeOfDay: "23:00" };
const zone = "Europe/London";
const at = (iso: string) => new Date(iso);
const run = (trigger: string, status: string, createdAt: string): RunSummary => ({ trigger, status, createdAt: at(createdAt) });

test("with no runs yet Sync Now is available", () => {
  expect(syncNowAvailability({ schedule, timeZone: zone, runs: [], now: at("2026-11-24T10:00:00Z") })).toEqual({ available: true });
});

test("after a successful Sync Now it is unavailable until the next scheduled sync, and says when", () => {
  const result = syncNowAvailability({
    schedule,
    timeZone: zone,
    runs: [run("sync_now", "succeeded", "2026-11-24T10:00:00Z")],
    now: at("2026-11-24T12:00:00Z"),
  });
  expect(result.available).toBe(false);
  if (result.available) return;
  expect(result.availableAt!.toISOString()).toBe("2026-11-24T23:00:00.000Z");
  expect(result.reason).toContain("after the next scheduled sync");
  expect(result.reason).toContain("Tuesday 24 November");
});

test("after a failed run it is available again at once", () => {
  const runs = [run("sync_now", "failed", "2026-11-24T10:00:00Z")];
  expect(syncNowAvailability({ schedule, timeZone: zone, runs, now: at("2026-11-24T10:05:00Z") })).toEqual({ available: true });
});

test("after the next scheduled run it is available again", () => {
  const runs = [run("scheduled", "succeeded", "2026-11-24T23:00:00Z"), run("sync_now", "succeeded", "2026-11-24T10:00:00Z")];
  expect(syncNowAvailability({ schedule, timeZone: zone, runs, now: at("2026-11-24T23:10:00Z") })).toEqual({ available: true });
});

test("while a run is going it is unavailable", () => {
  const result = syncNowAvailability({
    schedule,
    timeZone: zone,
    runs: [run("scheduled", "applying", "2026-11-24T23:00:00Z")],
    now: at("2026-11-24T23:01:00Z"),
  });
  expect(result).toMatchObject({ available: false, availableAt: null });
});

test("with no schedule it comes back a day after the last Sync Now", () => {
  const off = { ...schedule, scheduleEnabled: false };
  const runs = [run("sync_now", "succeeded", "2026-11-24T10:00:00Z")];
  expect(syncNowAvailability({ schedule: off, timeZone: zone, runs, now: at("2026-11-24T20:00:00Z") })).toMatchObject({
    available: false,
    availableAt: at("2026-11-25T10:00:00Z"),
  });
  expect(syncNowAvailability({ schedule: off, timeZone: zone, runs, now: at("2026-11-25T10:00:01Z") })).toEqual({ available: true });
});
