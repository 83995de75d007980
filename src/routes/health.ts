import { Hono } from "hono";
import { databaseAnswers } from "../db/client.ts";
import type { AppEnv } from "./context.tsx";

export const healthRoutes = new Hono<AppEnv>();

/** For load balancers and the Docker health check: 200 only when the database answers. */
healthRoutes.get("/healthz", async (c) => {
  try {
    await databaseAnswers(c.get("deps").database.db);
    return c.json({ ok: true, database: "ok" });
  } catch {
    c.get("deps").logger.error("health.database_unreachable");
    return c.json({ ok: false, database: "unreachable" }, 503);
  }
});
