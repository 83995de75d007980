import { boolean, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

/** One customer: a US district or a UK school or trust. */
export const organizations = pgTable("organizations", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  /** ISO 3166 alpha-2: decides UK or US vocabulary on pages ("pupil", "Year 7"). */
  country: text().notNull().default("US"),
  /** IANA zone; schedules run in it. */
  timeZone: text().notNull().default("UTC"),
  /** One of embedded mode's demo organizations: its pages say "Demo". */
  isDemo: boolean().notNull().default(false),
  createdAt: createdAt(),
});

/** What the vendor sells. The catalogue lives in src/products.ts and is upserted at start-up. */
export const products = pgTable("products", {
  id: text().primaryKey(),
  name: text().notNull(),
  /** Products where learners sign in need a verified email or username; others do not. */
  learnersSignIn: boolean().notNull(),
  description: text().notNull().default(""),
});

export const licences = pgTable(
  "licences",
  {
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    productId: text()
      .notNull()
      .references(() => products.id),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.productId] })],
);
