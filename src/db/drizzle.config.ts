import { defineConfig } from "drizzle-kit";

// `npm run db:generate -- --name <what changed>` writes a migration into drizzle/; no database needed.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
});
