import { date, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Daily jobs that every process schedules and exactly one runs (the purge of removed
 * learners): the row for (job, day) is the claim, so of several processes inserting it only
 * one succeeds. A claim that never finished can be taken over once it is old enough.
 */
export const dailyJobClaims = pgTable(
  "daily_job_claims",
  {
    job: text().notNull(),
    /** The UTC day the run is for. */
    day: date().notNull(),
    claimedBy: text().notNull(),
    claimedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.job, table.day] })],
);
