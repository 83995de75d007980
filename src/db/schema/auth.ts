import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations.ts";
import { learners } from "./roster.ts";

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const orgRef = () =>
  uuid()
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });

export const STAFF_ROLES = ["org_admin", "educator"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Staff who sign in: organization admins and educators. Learners never sign in here. */
export const staffUsers = pgTable(
  "staff_users",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    /** Stored lower-cased; one account per address across the service. */
    email: text().notNull(),
    name: text().notNull().default(""),
    role: text({ enum: STAFF_ROLES }).notNull(),
    /** argon2id (Bun.password); null until the invite is accepted. */
    passwordHash: text(),
    /** The roster educator this account belongs to, when there is one. */
    educatorId: uuid(),
    createdAt: createdAt(),
    lastSignInAt: timestamp({ withTimezone: true }),
    disabledAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex("staff_users_email_unique").on(table.email), index("staff_users_org_idx").on(table.orgId)],
);

/** Database-backed sessions: the cookie holds a random token, the table holds its SHA-256. */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    orgId: orgRef(),
    createdAt: createdAt(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index("sessions_user_idx").on(table.userId), index("sessions_expires_idx").on(table.expiresAt)],
);

export const invites = pgTable(
  "invites",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    email: text().notNull(),
    role: text({ enum: STAFF_ROLES }).notNull(),
    /** SHA-256 of the token in the emailed link; the token itself is never stored. */
    tokenHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    invitedBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("invites_token_unique").on(table.tokenHash), index("invites_org_idx").on(table.orgId)],
);

/**
 * Failed sign-ins per key ("account:<sha256 of email>" or "address:<ip>"), for throttling
 * that holds across processes and restarts.
 */
export const signInFailures = pgTable("sign_in_failures", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  firstFailureAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/** A learner confirming their email address (learners only ever see this and the password page: ARCHITECTURE.md, "Vocabulary"). */
export const emailVerifications = pgTable(
  "email_verifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    learnerId: uuid().notNull(),
    email: text().notNull(),
    tokenHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    verifiedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("email_verifications_token_unique").on(table.tokenHash), index("email_verifications_learner_idx").on(table.orgId, table.learnerId)],
);

/**
 * A learner's sign-in, for products whose learners sign in: set by the learner from their
 * verification link. Kept apart from the roster row, so no sync's before-image or export
 * carries it.
 */
export const learnerAccounts = pgTable("learner_accounts", {
  learnerId: uuid()
    .primaryKey()
    .references(() => learners.id, { onDelete: "cascade" }),
  orgId: orgRef(),
  /** argon2id (Bun.password). */
  passwordHash: text().notNull(),
  createdAt: createdAt(),
});

/** A learner signed in to a product (after verifying their address): the cookie holds a token, the table its SHA-256. */
export const learnerSessions = pgTable(
  "learner_sessions",
  {
    tokenHash: text().primaryKey(),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: "cascade" }),
    orgId: orgRef(),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index("learner_sessions_learner_idx").on(table.learnerId)],
);
